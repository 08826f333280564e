import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/ports/logger.ts";
import { startReconcileLoop } from "../../src/scheduler/reconcile-loop.ts";
import { eventually } from "../support/test-clock.ts";

describe("the reconcile loop", () => {
  it("runs at start, never twice at once, not while Redis is away, and again once Redis is back", async () => {
    let up = true;
    let asked = 0;
    let recover: () => void = () => {};
    const redis = {
      available: () => {
        asked++;
        return up;
      },
      onRecovered: (listener: () => void) => {
        recover = listener;
      },
    };
    const releases: (() => void)[] = [];
    let started = 0;
    const loop = startReconcileLoop({
      reconcile: () => {
        started++;
        return new Promise<void>((resolve) => releases.push(resolve));
      },
      redis,
      intervalMs: 20,
      logger: silentLogger,
    });
    try {
      expect(started).toBe(1);
      // The first run hangs (Redis went away under it): the interval starts no second one.
      up = false;
      const before = asked;
      await eventually(() => asked >= before + 3, 1_000);
      expect(started).toBe(1);
      // Redis is back while the first run still hangs: one more run follows it, at once.
      up = true;
      recover();
      releases[0]?.();
      await eventually(() => started === 2, 1_000);
      releases[1]?.();
      await loop.first;
    } finally {
      loop.stop();
      for (const release of releases) release();
    }
  });
});
