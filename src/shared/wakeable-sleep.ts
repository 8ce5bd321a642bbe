// A sleep that a notification can cut short: how polling loops wait for work without spinning.
export type WakeableSleep = {
  /** Resolves after `ms`, or as soon as wake() is called. */
  sleep(ms: number): Promise<void>;
  wake(): void;
};

export function createWakeableSleep(): WakeableSleep {
  let waker: (() => void) | undefined;
  return {
    sleep(ms) {
      return new Promise((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          waker = undefined;
          resolve();
        }
        waker = done;
      });
    },
    wake: () => waker?.(),
  };
}
