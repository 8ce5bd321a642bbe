// Owns what an audit row may say beyond who, what and where: the fields its action allows
// (audit-actions.ts), each a short scalar or a short list of them. Anything else is dropped, not
// stored: the redaction is by construction, not by recognising secrets.
import { storableText } from '../shared/storable-text.ts';
import { AUDIT_DETAIL_FIELDS, type AuditAction } from './audit-actions.ts';

export type AuditDetailValue = string | number | boolean | null | string[];
export type AuditDetails = Record<string, AuditDetailValue>;

const MAX_TEXT = 200;
const MAX_LIST = 20;

export function auditDetails(action: AuditAction, input: Record<string, unknown> | undefined): AuditDetails {
  const details: AuditDetails = {};
  if (!input) return details;
  for (const field of AUDIT_DETAIL_FIELDS[action] as readonly string[]) {
    const value = detailValue(input[field]);
    if (value !== undefined) details[field] = value;
  }
  return details;
}

function detailValue(value: unknown): AuditDetailValue | undefined {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value === 'string') return shortText(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.slice(0, MAX_LIST).map((s) => shortText(s));
  return undefined;
}

export const shortText = (s: string, max = MAX_TEXT): string => storableText(s.length > max ? `${s.slice(0, max - 1)}…` : s);
