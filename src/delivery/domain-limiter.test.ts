import { describe, expect, it } from 'vitest';
import { createDomainLimiter } from './domain-limiter.ts';

describe('domain limiter', () => {
  it('lets at most N deliveries run per domain and hands freed slots to waiters in order', async () => {
    const limiter = createDomainLimiter(2);
    const order: string[] = [];
    const a1 = await limiter.acquire('a.com');
    const a2 = await limiter.acquire('a.com');
    const b1 = await limiter.acquire('b.com'); // another domain is not held up
    const third = limiter.acquire('a.com').then((r) => (order.push('third'), r));
    const fourth = limiter.acquire('a.com').then((r) => (order.push('fourth'), r));
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual([]);
    a1();
    a1(); // releasing twice frees one slot only
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual(['third']);
    a2();
    (await third)();
    (await fourth)();
    b1();
    expect(order).toEqual(['third', 'fourth']);
  });
});
