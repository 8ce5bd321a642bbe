// Checks campaign templates at creation, so a typo fails the request instead of every email.
import { AppError } from '../shared/app-error.ts';

// Mirrors the grammar renderTemplate fills (sending/render-template.ts); a test renders every
// accepted template to prove the two agree.
// {{unsubscribe_url}} is filled at send time by tracking (tracking/add-tracking.ts), not by renderTemplate.
const PLACEHOLDER_BODY = /^\s*(data(\.[A-Za-z0-9_-]+)+|email|unsubscribe_url)\s*$/;
const MAX_REPORTED = 10;

export type TemplateProblem = { field: string; placeholder: string; offset: number; reason: string };

/** Every `{{ ... }}` must be `{{data.field}}` (dotted paths allowed) or `{{email}}`; `{{` must close. */
export function findTemplateProblems(field: string, template: string): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  let at = template.indexOf('{{');
  while (at !== -1 && problems.length < MAX_REPORTED) {
    const close = template.indexOf('}}', at + 2);
    if (close === -1) {
      problems.push({ field, placeholder: excerpt(template.slice(at)), offset: at, reason: 'unclosed "{{"' });
      break;
    }
    const body = template.slice(at + 2, close);
    if (!PLACEHOLDER_BODY.test(body)) {
      problems.push({ field, placeholder: excerpt(`{{${body}}}`), offset: at, reason: 'expected {{data.field}} or {{email}}' });
    }
    at = template.indexOf('{{', close + 2);
  }
  return problems;
}

export function assertTemplatesParse(templates: Record<string, string | null | undefined>): void {
  const problems = Object.entries(templates).flatMap(([field, t]) => (t ? findTemplateProblems(field, t) : []));
  if (problems.length === 0) return;
  const first = problems[0]!;
  throw new AppError('invalid_template', `${first.field}: ${first.reason} at ${first.placeholder}`, { problems: problems.slice(0, MAX_REPORTED) });
}

const excerpt = (s: string) => (s.length > 60 ? `${s.slice(0, 60)}…` : s);
