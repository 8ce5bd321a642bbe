// Caps deliveries in flight per recipient domain, so one big campaign cannot flood one provider.
export type DomainLimiter = { acquire(domain: string): Promise<() => void> };

export function createDomainLimiter(maxPerDomain: number): DomainLimiter {
  const active = new Map<string, number>();
  const waiting = new Map<string, Array<() => void>>();

  const release = (domain: string) => {
    const next = waiting.get(domain)?.shift();
    if (next) return next(); // hand the slot straight to the next waiter
    const n = (active.get(domain) ?? 1) - 1;
    if (n <= 0) active.delete(domain);
    else active.set(domain, n);
    if (waiting.get(domain)?.length === 0) waiting.delete(domain);
  };

  return {
    async acquire(domain) {
      const n = active.get(domain) ?? 0;
      if (n < maxPerDomain) {
        active.set(domain, n + 1);
      } else {
        await new Promise<void>((resolve) => {
          const queue = waiting.get(domain) ?? [];
          queue.push(resolve);
          waiting.set(domain, queue);
        });
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        release(domain);
      };
    },
  };
}
