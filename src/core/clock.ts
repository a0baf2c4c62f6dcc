/**
 * The clock port. The node that accepts a write reads the time once and puts
 * it in the log entry; command code only ever sees that value.
 * This module is browser compatible.
 */
export interface Clock {
  /** Unix time in milliseconds. */
  now(): number;
  /** A monotonic reading in milliseconds with sub-ms precision (for durations). */
  monotonic(): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
};

/** A clock the caller moves by hand (tests, simulations). */
export function manualClock(start = 1_700_000_000_000): Clock & { advance(ms: number): void; set(ms: number): void } {
  let t = start;
  let m = 0;
  return {
    now: () => t,
    monotonic: () => m,
    advance(ms: number) {
      t += ms;
      m += ms;
    },
    set(ms: number) {
      m += Math.max(0, ms - t);
      t = ms;
    },
  };
}
