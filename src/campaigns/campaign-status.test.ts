import { describe, expect, it } from 'vitest';
import { campaignStatus } from './campaign-status.ts';

describe('campaignStatus', () => {
  const now = Date.parse('2030-01-01T00:00:00Z');
  const later = new Date(now + 60_000);
  const earlier = new Date(now - 60_000);

  it.each([
    ['draft', null, false, 'draft'],
    ['cancelled', null, true, 'cancelled'],
    ['scheduled', later, true, 'scheduled'],
    ['scheduled', earlier, true, 'sending'],
    ['scheduled', earlier, false, 'completed'],
    ['sending', null, true, 'sending'],
    ['sending', null, false, 'completed'],
  ] as const)('stored %s, scheduled_at %s, pending emails %s: %s', (stored, at, pending, expected) => {
    expect(campaignStatus(stored, at, pending, now)).toBe(expected);
  });
});
