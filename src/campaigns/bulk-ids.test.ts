import { describe, expect, it } from 'vitest';
import { isUuid } from '../shared/ids.ts';
import { newIds } from './bulk-ids.ts';

describe('newIds', () => {
  it('makes distinct version-7 UUIDs that sort in the order they were made', () => {
    const ids = newIds(10_000);
    expect(new Set(ids).size).toBe(10_000);
    expect(ids.every((id) => isUuid(id) && id[14] === '7' && '89ab'.includes(id[19]!))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
  });

  it('puts the current time in the first 48 bits', () => {
    const [id] = newIds(1);
    const ms = parseInt(id!.replace(/-/g, '').slice(0, 12), 16);
    expect(Math.abs(ms - Date.now())).toBeLessThan(5_000);
  });
});
