// What an email's counts are broken down by, as the rollups need it: its project, campaign, tags,
// sending domain and recipient domain. Emails of one campaign mostly share all five, so each
// distinct set is kept once (interned): the scheduler's cache then holds a pointer per email rather
// than a copy of its addresses and tags.
import { domainOf } from './fold-batch.ts';
import type { EmailDimensions } from './email-log.repository.ts';

export type FoldDims = {
  readonly projectId: string;
  readonly campaignId: string | null;
  readonly tags: readonly string[];
  readonly sendingDomain: string;
  readonly recipientDomain: string;
};

export type DimsInterner = (dims: EmailDimensions) => FoldDims;

/**
 * Interning is only a saving, never needed for a right count: past `maxDistinct` sets (many
 * recipient domains) the table starts afresh rather than grow.
 */
export function createDimsInterner(maxDistinct = 50_000): DimsInterner {
  const known = new Map<string, FoldDims>();
  return (d) => {
    const dims: FoldDims = {
      projectId: d.projectId,
      campaignId: d.campaignId,
      tags: d.tags,
      sendingDomain: domainOf(d.fromAddress),
      recipientDomain: domainOf(d.toAddress),
    };
    const key = JSON.stringify([dims.projectId, dims.campaignId, dims.sendingDomain, dims.recipientDomain, dims.tags]);
    const seen = known.get(key);
    if (seen) return seen;
    if (known.size >= maxDistinct) known.clear();
    known.set(key, dims);
    return dims;
  };
}
