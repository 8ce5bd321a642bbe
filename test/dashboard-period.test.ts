// The dashboard's period (web/src/period.ts): what the URL may hold, and the instants a period
// stands for in the viewer's time zone, across daylight-saving changes.
import { describe, expect, it } from 'vitest';
import { previousPeriod, resolvePeriod, validatePeriodSearch, zonedMidnight } from '../web/src/period.ts';

describe('the period in the URL', () => {
  it('keeps a preset, custom days in order and a real time zone, and drops the rest', () => {
    expect(validatePeriodSearch({ period: '30d', tz: 'Europe/Paris' })).toEqual({ period: '30d', tz: 'Europe/Paris' });
    expect(validatePeriodSearch({ period: 'custom', from: '2025-03-01', to: '2025-03-07' })).toEqual({ period: 'custom', from: '2025-03-01', to: '2025-03-07' });
    expect(validatePeriodSearch({ period: 'custom', from: '2025-03-07', to: '2025-03-01' })).toEqual({});
    expect(validatePeriodSearch({ period: 'custom', from: '2025-02-30x', to: '2025-03-01' })).toEqual({});
    expect(validatePeriodSearch({ period: '1y', tz: 'Mars/Olympus_Mons' })).toEqual({});
    expect(validatePeriodSearch({ period: ['7d'], tz: 42 })).toEqual({});
  });
});

describe('the instants of a period', () => {
  it('starts a day at local midnight, also on the days clocks change', () => {
    expect(zonedMidnight('2025-03-09', 'America/New_York').toISOString()).toBe('2025-03-09T05:00:00.000Z');
    expect(zonedMidnight('2025-03-10', 'America/New_York').toISOString()).toBe('2025-03-10T04:00:00.000Z');
    expect(zonedMidnight('2025-10-26', 'Europe/Paris').toISOString()).toBe('2025-10-25T22:00:00.000Z');
    expect(zonedMidnight('2025-10-27', 'Europe/Paris').toISOString()).toBe('2025-10-26T23:00:00.000Z');
    expect(zonedMidnight('2025-01-01', 'Asia/Kolkata').toISOString()).toBe('2024-12-31T18:30:00.000Z');
  });

  it('reads custom days with the last one included, by day; the last 24 hours by hour', () => {
    const custom = resolvePeriod({ period: 'custom', from: '2025-03-01', to: '2025-03-07', tz: 'UTC' }, new Date());
    expect([custom.from.toISOString(), custom.to.toISOString(), custom.granularity]).toEqual(['2025-03-01T00:00:00.000Z', '2025-03-08T00:00:00.000Z', 'day']);
    const now = new Date('2025-06-01T12:00:00Z');
    const day = resolvePeriod({ period: '24h', tz: 'UTC' }, now);
    expect([day.from.toISOString(), day.to.toISOString(), day.granularity]).toEqual(['2025-05-31T12:00:00.000Z', '2025-06-01T12:00:00.000Z', 'hour']);
    expect(resolvePeriod({ tz: 'UTC' }, now).label).toBe('Last 7 days');
  });

  it('compares with the period of the same length just before', () => {
    const p = resolvePeriod({ period: '7d', tz: 'UTC' }, new Date('2025-06-08T00:00:00Z'));
    const before = previousPeriod(p);
    expect([before.from.toISOString(), before.to.toISOString()]).toEqual(['2025-05-25T00:00:00.000Z', '2025-06-01T00:00:00.000Z']);
  });
});
