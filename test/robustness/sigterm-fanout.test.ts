import { describe, expect, it } from "vitest";
import { eventually } from "../support/test-clock.ts";
import {
  fanOutRun,
  nextReconcile,
  outboxCounts,
  tally,
  useSeededTeams,
  webDeliveries,
} from "../support/worker-process.ts";

const PROJECTS = 60;
const MEMBERS = 8;
// One delivery job at a time (of up to 100 messages): the stop finds some jobs still waiting.
const env = { DELIVERY_CONCURRENCY: "1" };

// Graceful shutdown: a worker stopped with SIGTERM in the middle of a fan-out finishes or
// hands back its jobs and exits within 30 s; the next worker completes the fan-out.
describe("a worker stopped with SIGTERM during a fan-out", () => {
  const fixture = useSeededTeams({ projects: PROJECTS, members: MEMBERS, answerWindowMinutes: 60 });

  it("exits cleanly within 30 s, and after a restart every member has exactly one prompt", async () => {
    const { db } = fixture.database;
    const { members, startWorker, promptsSent } = fanOutRun(fixture, env);

    const first = startWorker();
    await eventually(async () => (await promptsSent()) >= 20, 30_000);
    const stopping = Date.now();
    expect(await first.stop(30_000)).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(30_000);
    expect(await promptsSent()).toBeLessThan(members.length); // the stop really came mid-fan-out
    // Nothing it held is left claimed: finished jobs are sent, the rest are back to pending.
    expect(Object.keys(await outboxCounts(db, "prompt")).filter((status) => status === "sending")).toEqual([]);

    const second = startWorker();
    await eventually(async () => (await promptsSent()) >= members.length, 45_000);
    await nextReconcile([second]); // anything left to repeat would be queued again by now
    expect(tally(await webDeliveries(db), members, "prompt").wrong).toEqual({});
    expect(await outboxCounts(db, "prompt")).toEqual({ sent: members.length });
    expect(await second.stop()).toBe(0);
  }, 90_000);
});
