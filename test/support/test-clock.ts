import type { Clock } from "../../src/ports/clock.ts";

export type TestClock = Clock & { set(date: Date): void; advance(ms: number): void };

export function createTestClock(start: Date): TestClock {
  let current = start;
  return {
    now: () => current,
    set(date) {
      current = date;
    },
    advance(ms) {
      current = new Date(current.getTime() + ms);
    },
  };
}

/** Polls until `condition` holds; tests wait on outcomes, never on wall-clock durations. */
export async function eventually<T>(
  condition: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await condition();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`condition not met in time${last ? `: ${String(last)}` : ""}`);
}
