import { afterEach, describe, expect, it, vi } from "vitest";
import { createAckWatch } from "../../adapters/slack/durable-receiver.ts";

// The handling after an acknowledgement lets the requests still waiting for theirs go first.
describe("waiting for the acknowledgements under way", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("lets work go at once when no request waits, and otherwise once the last is acknowledged", async () => {
    const { watch, arrived } = createAckWatch();
    let went = false;
    await watch.idle(60_000);
    const first = arrived();
    const second = arrived();
    const waiting = watch.idle(60_000).then(() => {
      went = true;
    });
    first();
    first(); // acknowledging twice counts once
    await Promise.resolve();
    expect(went).toBe(false);
    second();
    await waiting;
    expect(went).toBe(true);
  });

  it("lets work go after its longest wait under a steady stream of requests", async () => {
    vi.useFakeTimers();
    const { watch, arrived } = createAckWatch();
    arrived();
    let went = false;
    const waiting = watch.idle(250).then(() => {
      went = true;
    });
    await vi.advanceTimersByTimeAsync(249);
    expect(went).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await waiting;
    expect(went).toBe(true);
  });
});
