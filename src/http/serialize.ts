// The JSON shapes the API returns for stored rows.
import type { EmailRow } from '../sending/index.ts';

export function emailJson(e: EmailRow, detail = false) {
  const base = {
    id: e.id,
    object: 'email',
    campaign_id: e.campaign_id,
    from: e.from_address,
    to: e.to_address,
    cc: e.cc ?? [],
    bcc: e.bcc ?? [],
    reply_to: e.reply_to ?? [],
    subject: e.subject ?? e.campaign_subject,
    status: e.status,
    tags: e.tags ?? [],
    metadata: e.metadata ?? {},
    message_id: e.message_id,
    transport: e.transport,
    attempts: e.attempts,
    scheduled_at: e.scheduled_at?.toISOString() ?? null,
    created_at: e.created_at.toISOString(),
    updated_at: e.updated_at.toISOString(),
  };
  // content_removed_at: when retention emptied html, text and data (null while they are kept).
  return detail ? { ...base, html: e.html, text: e.text, data: e.data ?? {}, content_removed_at: e.content_removed_at?.toISOString() ?? null } : base;
}

export function eventJson(e: { id: number; event_type: string; metadata: Record<string, unknown>; created_at: Date }) {
  return { id: e.id, event_type: e.event_type, metadata: e.metadata, created_at: e.created_at.toISOString() };
}

/** Cursors are opaque to clients: the id of the last item, base64url-encoded. */
export const encodeCursor = (id: string) => Buffer.from(id).toString('base64url');
export const decodeCursor = (cursor: string) => Buffer.from(cursor, 'base64url').toString();
