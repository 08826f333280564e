import { describe, expect, it } from "vitest";
import { countWhere, updateWhere } from "../support/fixtures.ts";
import { channelRef } from "../support/seed-teams.ts";
import { eventually } from "../support/test-clock.ts";
import {
  fanOutRun,
  nextReconcile,
  outboxCounts,
  tally,
  useSeededTeams,
  webDeliveries,
} from "../support/worker-process.ts";

// Two `leerlus worker` processes on one Redis (same queue prefix) and one database.
describe("two worker processes", () => {
  const fixture = useSeededTeams({ projects: 6, members: 8 });

  it("give every member exactly one prompt and one reminder, and every channel one summary", async () => {
    const { db } = fixture.database;
    const { members, startWorker, promptsSent } = fanOutRun(fixture);
    const workers = [startWorker(), startWorker()];
    const channels = fixture.team.projectIds.map(channelRef);

    await eventually(async () => (await promptsSent()) === members.length, 30_000);
    // Both workers tick every project every second; bring the reminder and the close forward.
    const now = Date.now();
    await updateWhere(
      db,
      "RetroCycle",
      { status: "open" },
      { remindsAt: new Date(now + 1_000), closesAt: new Date(now + 6_000) },
    );
    await eventually(async () => tally(await webDeliveries(db), members, "reminder").exact === members.length, 20_000);
    await eventually(async () => tally(await webDeliveries(db), channels, "summary").exact === channels.length, 20_000);

    await eventually(async () => Object.keys(await outboxCounts(db, "summary")).join() === "sent", 10_000);
    // Both reconcilers run again (and ticks go on meanwhile): anything they would repeat shows.
    await nextReconcile(workers);
    const deliveries = await webDeliveries(db);
    expect(tally(deliveries, members, "prompt").wrong).toEqual({});
    expect(tally(deliveries, members, "reminder").wrong).toEqual({});
    expect(tally(deliveries, channels, "summary").wrong).toEqual({});
    expect(await outboxCounts(db, "prompt")).toEqual({ sent: members.length });
    expect(await outboxCounts(db, "reminder")).toEqual({ sent: members.length });
    expect(await outboxCounts(db, "summary")).toEqual({ sent: channels.length });
    expect(await countWhere(db, "RetroCycle")).toBe(fixture.team.projectIds.length);
    // Each message was claimed once: the other worker never took over a claim.
    expect(await db.selectFrom("OutboxMessage").select("id").where("attempts", "<>", 1).execute()).toEqual([]);

    const codes = await Promise.all(workers.map((worker) => worker.stop()));
    expect(codes).toEqual([0, 0]);
  }, 60_000);
});
