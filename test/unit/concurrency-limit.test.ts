import { describe, expect, it } from "vitest";
import { limitConcurrency } from "../../src/scheduler/concurrency-limit.ts";

describe("limitConcurrency", () => {
  it("runs at most the given number at once, and every call in the end", async () => {
    const limit = limitConcurrency(2);
    let running = 0;
    let peak = 0;
    const done = await Promise.all(
      Array.from({ length: 7 }, (_, index) =>
        limit(async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((resolve) => setTimeout(resolve, 5));
          running--;
          return index;
        }),
      ),
    );
    expect(done).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(peak).toBe(2);
  });
});
