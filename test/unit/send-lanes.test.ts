import { describe, expect, it } from "vitest";
import { createSendLanes } from "../../src/scheduler/send-lanes.ts";

describe("the order of a process's sends", () => {
  it("sends what waited for its slot first, then each tenant's burst together, in the order the tenants came", async () => {
    const lanes = createSendLanes(1);
    const order: string[] = [];
    let release: () => void = () => {};
    // One send under way holds the only place: everything after it queues.
    const first = lanes({ waited: false, tenant: "a" }, () => new Promise<void>((resolve) => (release = resolve)));
    const queued = [
      ["a1", false, "a"],
      ["b1", false, "b"],
      ["a2", false, "a"],
      ["c-next-window", true, "c"],
      ["b2", false, "b"],
    ] as const;
    const sends = queued.map(([name, waited, tenant]) =>
      lanes({ waited, tenant }, async () => {
        order.push(name);
        return name;
      }),
    );
    // The first send has started (and holds the place) once a turn of the loop has passed.
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await first;
    expect(await Promise.all(sends)).toEqual(["a1", "b1", "a2", "c-next-window", "b2"]);
    expect(order).toEqual(["c-next-window", "a1", "a2", "b1", "b2"]);
  });

  it("keeps at most its limit under way, and a failed send frees its place", async () => {
    const lanes = createSendLanes(2);
    let running = 0;
    let most = 0;
    const send = (fail: boolean) =>
      lanes({ waited: false, tenant: "t" }, async () => {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setImmediate(resolve));
        running--;
        if (fail) throw new Error("refused");
        return "ok";
      });
    const results = await Promise.allSettled([send(true), send(false), send(true), send(false), send(false)]);
    expect(results.map((result) => result.status)).toEqual([
      "rejected",
      "fulfilled",
      "rejected",
      "fulfilled",
      "fulfilled",
    ]);
    expect(most).toBe(2);
  });
});
