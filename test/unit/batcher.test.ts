import { describe, expect, it } from "vitest";
import { createBatcher } from "../../src/scheduler/batcher.ts";
import { limitConcurrency } from "../../src/scheduler/concurrency-limit.ts";

describe("createBatcher", () => {
  it("runs items added together as one batch, and a full batch at once", async () => {
    const runs: number[][] = [];
    const batcher = createBatcher(
      async (items: number[]) => {
        runs.push(items);
      },
      { maxSize: 3, waitMs: 20 },
    );
    await Promise.all([1, 2, 3, 4, 5].map((item) => batcher.add(item)));
    expect(runs).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it("runs a failed batch again item by item, so only the bad item fails", async () => {
    const runs: string[][] = [];
    const batcher = createBatcher(
      async (items: string[]) => {
        runs.push(items);
        if (items.includes("bad")) throw new Error(`cannot do ${items.join(",")}`);
      },
      { maxSize: 10, waitMs: 5 },
    );
    const results = await Promise.allSettled(["a", "bad", "c"].map((item) => batcher.add(item)));
    expect(results.map((result) => result.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error("cannot do bad"));
    expect(runs).toEqual([["a", "bad", "c"], ["a"], ["bad"], ["c"]]);
    // Next time the bad item runs alone at once, and the others are batched without it.
    runs.length = 0;
    const again = await Promise.allSettled(["bad", "d", "e"].map((item) => batcher.add(item)));
    expect(again.map((result) => result.status)).toEqual(["rejected", "fulfilled", "fulfilled"]);
    expect(runs).toEqual([["bad"], ["d", "e"]]);
  });
});

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
