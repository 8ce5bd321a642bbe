// Refuses, before any route sees it, request input PostgreSQL cannot store (see storable-value.ts).
import { AppError } from '../shared/app-error.ts';
import { storableProblem } from '../shared/storable-value.ts';

/** Throws validation_error naming the first offending place in a parsed request part. */
export function assertStorable(value: unknown, where: string): void {
  const problem = storableProblem(value, where);
  if (problem) throw new AppError('validation_error', problem);
}
