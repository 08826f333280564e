import { describe, expect, it } from "vitest";
import { createBatcher } from "../../src/scheduler/batcher.ts";

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
