import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { countWhere, deleteWhere, insertRow, oneWhere, updateWhere } from "../support/fixtures.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { createTestCore } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const ZONE = "Europe/Amsterdam";
const channel = `web:channel:${DEMO_IDS.pilot}`;
const at = (local: string) => DateTime.fromISO(local, { zone: ZONE }).toJSDate();

function say(personId: string, text: string, where = `web:dm:${personId}`): InboundEvent {
  return {
    platform: "web",
    tenantId: DEMO_IDS.organisation,
    platformUserId: personId,
    conversationRef: where,
    type: "command",
    text,
  } as InboundEvent;
}

describe("the retro schedule as a series", () => {
  let database: TestDatabase;
  let core: ReturnType<typeof createTestCore>;
  const text = async (input: InboundEvent) => (await handleEvent(core.deps, input)).map((m) => m.fallback).join(" ");
  const pilot = () => oneWhere(database.db, "Project", { id: DEMO_IDS.pilot });

  beforeAll(async () => {
    database = await createTestDatabase();
    core = createTestCore(database, [createRecordingAdapter("web")]);
    core.clock.set(at("2026-03-20T10:00"));
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
    await updateWhere(database.db, "Project", { id: DEMO_IDS.implementation }, { active: false });
    await deleteWhere(database.db, "RetroCycle", { projectId: DEMO_IDS.pilot });
    await updateWhere(database.db, "Project", { id: DEMO_IDS.pilot }, { answerWindowMinutes: 60 });
    await updateWhere(database.db, "Person", { id: DEMO_IDS.joost }, { roles: ["adviser", "admin"] });
  });

  afterAll(async () => {
    await core?.close();
    await database?.drop();
  });

  /** Runs the project's heartbeat twice a day (after 15:00 and in the evening) over the days given. */
  async function runDays(from: string, days: number): Promise<string[]> {
    const start = DateTime.fromISO(from, { zone: ZONE });
    for (let day = 0; day < days; day++) {
      for (const time of ["15:30", "22:00"]) {
        const [hour, minute] = time.split(":").map(Number);
        core.clock.set(start.plus({ days: day }).set({ hour, minute }).toJSDate());
        await advanceProject(core.deps, DEMO_IDS.pilot);
      }
    }
    const cycles = await database.prisma.retroCycle.findMany({
      where: { projectId: DEMO_IDS.pilot, status: { not: "skipped" }, opensAt: { gte: start.toJSDate() } },
      orderBy: { sequence: "asc" },
    });
    return cycles.map((cycle) => DateTime.fromJSDate(cycle.opensAt, { zone: ZONE }).toISODate() ?? "");
  }

  it("keeps the Monday series after Easter Monday's retro moved to Tuesday: 13 April is not lost", async () => {
    core.clock.set(at("2026-03-23T11:00"));
    expect(await text(say(DEMO_IDS.sanne, "ritme wekelijks maandag 15:00", channel))).toMatch(/ritme is aangepast/);
    expect(await runDays("2026-03-23", 38)).toEqual([
      "2026-03-23",
      "2026-03-30",
      "2026-04-07",
      "2026-04-13",
      "2026-04-20",
      "2026-04-28",
    ]);
  });

  it("refuses absurd cadences with a reason, and changes nothing", async () => {
    const before = await pilot();
    expect(await text(say(DEMO_IDS.sanne, "ritme elke 0 weken donderdag 15:00", channel))).toMatch(
      /elke 1 tot 12 weken.*niets veranderd/,
    );
    expect(await text(say(DEMO_IDS.sanne, "ritme elke -2 weken donderdag 15:00", channel))).toMatch(/1 tot 12 weken/);
    expect(await text(say(DEMO_IDS.sanne, "ritme elke 40 weken donderdag 15:00", channel))).toMatch(/1 tot 12 weken/);
    expect(await text(say(DEMO_IDS.sanne, "ritme wekelijks maandag 25:00", channel))).toMatch(
      /25:00 is geen geldig tijdstip/,
    );
    await updateWhere(database.db, "Person", { id: DEMO_IDS.sanne }, { locale: "en" });
    expect(await text(say(DEMO_IDS.sanne, "cadence every 0 weeks thursday 15:00", channel))).toMatch(
      /every 1 to 12 weeks.*Nothing has changed/,
    );
    expect(await text(say(DEMO_IDS.sanne, "cadence weekly monday 15:75", channel))).toMatch(/15:75 is not a time/);
    await updateWhere(database.db, "Person", { id: DEMO_IDS.sanne }, { locale: "nl" });
    const after = await pilot();
    expect(after.cadence).toEqual(before.cadence);
    expect(after.cadenceSince).toEqual(before.cadenceSince);
  });

  it("lets an administrator add the organisation's own days off, which the schedule treats as holidays", async () => {
    expect(await text(say(DEMO_IDS.lotte, "vrije dagen toevoegen 28-12-2026 t/m 31-12-2026"))).toMatch(
      /Alleen een Leerlus-beheerder/,
    );
    expect(await text(say(DEMO_IDS.joost, "vrije dagen toevoegen 31-02-2027"))).toMatch(
      /31-02-2027 is geen geldige datum/,
    );
    expect(await countWhere(database.db, "OrganisationDayOff")).toBe(0);
    expect(await text(say(DEMO_IDS.joost, "vrije dagen toevoegen 28-12-2026 t/m 31-12-2026"))).toMatch(
      /4 vrije dagen toegevoegd, van 28-12-2026 tot en met 31-12-2026/,
    );
    expect(await text(say(DEMO_IDS.lotte, "vrije dagen"))).toMatch(/28-12-2026, 29-12-2026, 30-12-2026, 31-12-2026/);

    // Monday 28 December is a day off; moving it would reach Monday 4 January, the next retro.
    core.clock.set(at("2026-12-14T10:00"));
    const changed = await text(say(DEMO_IDS.sanne, "ritme wekelijks maandag 15:00", channel));
    expect(changed).toMatch(/ma 14 dec, 15:00; ma 21 dec, 15:00; ma 4 jan, 15:00/);
    expect(await runDays("2026-12-14", 29)).toEqual(["2026-12-14", "2026-12-21", "2027-01-04", "2027-01-11"]);

    // Nothing is sent on a day off: a retro opened by hand then waits for the next working morning.
    await updateWhere(
      database.db,
      "Organisation",
      { id: DEMO_IDS.organisation },
      { quietHoursEnd: 8 * 60, quietHoursStart: 18 * 60, quietWeekends: true },
    );
    await insertRow(database.db, "OrganisationDayOff", {
      organisationId: DEMO_IDS.organisation,
      date: new Date("2027-01-13T00:00:00Z"),
    });
    core.clock.set(at("2027-01-13T10:00"));
    expect(await text(say(DEMO_IDS.sanne, "retro nu", channel))).toMatch(/gestart/);
    const cycle = await database.prisma.retroCycle.findFirstOrThrow({
      where: { projectId: DEMO_IDS.pilot },
      orderBy: { sequence: "desc" },
    });
    const prompt = await oneWhere(database.db, "OutboxMessage", { key: `prompt:${cycle.id}:${DEMO_IDS.lotte}` });
    expect(prompt.notBefore?.toISOString()).toBe("2027-01-14T07:00:00.000Z");

    expect(await text(say(DEMO_IDS.joost, "vrije dagen verwijderen 28-12-2026 t/m 31-12-2026"))).toMatch(
      /4 vrije dagen verwijderd/,
    );
  });
});
