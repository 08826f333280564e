import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import type { CycleRecord } from "../../src/ports/retro-store.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { deliverMessage } from "../../src/use-cases/deliver-message.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { insertRow, oneWhere, updateWhere } from "../support/fixtures.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestCore } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const MINUTE = 60_000;
const dm = (personId: string) => `web:dm:${personId}`;
const channel = `web:channel:${DEMO_IDS.pilot}`;

function event(personId: string, fields: Partial<InboundEvent> & Pick<InboundEvent, "type">): InboundEvent {
  return {
    platform: "web",
    tenantId: DEMO_IDS.organisation,
    platformUserId: personId,
    conversationRef: dm(personId),
    ...fields,
  } as InboundEvent;
}

const say = (personId: string, text: string, where = dm(personId)) =>
  event(personId, { type: "command", text, conversationRef: where } as Partial<InboundEvent> & { type: "command" });
const press = (personId: string, actionId: string, value: string) =>
  event(personId, { type: "action", actionId, value } as Partial<InboundEvent> & { type: "action" });

function answers(cycle: CycleRecord, text: string): Record<string, string> {
  return Object.fromEntries(cycle.questions.nl.map((q) => [q.key, q.kind === "scale" ? "4" : `${text} (${q.key})`]));
}

describe("retro cycle options", () => {
  let database: TestDatabase;
  let core: ReturnType<typeof createTestCore>;
  const adapter = createRecordingAdapter("web");
  const fallbackOf = async (input: InboundEvent) =>
    (await handleEvent(core.deps, input)).map((m) => m.fallback).join(" ");
  const latest = async () => (await core.deps.stores.retro.latestCycle(DEMO_IDS.pilot)) as CycleRecord;
  const answer = async (personId: string, cycle: CycleRecord, text: string) =>
    fallbackOf(
      event(personId, {
        type: "formSubmitted",
        actionId: "retro.answer",
        value: cycle.id,
        answers: answers(cycle, text),
      } as Partial<InboundEvent> & { type: "formSubmitted" }),
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    core = createTestCore(database, [adapter]);
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
    await updateWhere(database.db, "Project", { id: DEMO_IDS.implementation }, { active: false });
  });

  afterAll(async () => {
    await core?.close();
    await database?.drop();
  });

  beforeEach(async () => {
    // Every test starts with no cycle open and the next one due.
    await updateWhere(database.db, "RetroCycle", { status: "open" }, { status: "closed" });
    core.clock.advance(4 * MINUTE);
  });

  it("rotates formats the lead chose, one per cycle", async () => {
    expect(await fallbackOf(say(DEMO_IDS.sanne, "formaten"))).toMatch(/kiezen uit: phase, after-action-review/);
    expect(await fallbackOf(say(DEMO_IDS.sanne, "formaten start-stop-continue bogus"))).toMatch(/kiezen uit/);
    expect(await fallbackOf(say(DEMO_IDS.lotte, "formaten four-ls"))).toMatch(/Alleen de trekker/);
    expect(await fallbackOf(say(DEMO_IDS.sanne, "formaten start-stop-continue four-ls"))).toMatch(
      /wisselen deze werkvormen elkaar af/,
    );
    await advanceProject(core.deps, DEMO_IDS.pilot);
    const first = await latest();
    core.clock.advance(3 * MINUTE);
    await advanceProject(core.deps, DEMO_IDS.pilot); // closes the first
    core.clock.advance(MINUTE);
    await advanceProject(core.deps, DEMO_IDS.pilot); // opens the second
    const second = await latest();
    expect([first.format, second.format]).toEqual(["start-stop-continue", "four-ls"]);
    await updateWhere(database.db, "Project", { id: DEMO_IDS.pilot }, { formatRotation: [] });
  });

  it("keeps anonymous answers unlinked and unattributed, and still reminds only those who did not answer", async () => {
    await updateWhere(database.db, "Project", { id: DEMO_IDS.pilot }, { anonymous: true });
    await advanceProject(core.deps, DEMO_IDS.pilot);
    const cycle = await latest();
    await answer(DEMO_IDS.ahmed, cycle, "Ahmed schreef dit");
    await answer(DEMO_IDS.lotte, cycle, "Lotte schreef dit");
    await answer(DEMO_IDS.emma, cycle, "Emma schreef dit");
    expect(await database.prisma.answer.count({ where: { cycleId: cycle.id, personId: { not: null } } })).toBe(0);
    core.clock.advance(MINUTE + 1000);
    await advanceProject(core.deps, DEMO_IDS.pilot);
    const reminders = await eventually(async () => {
      const rows = await database.prisma.outboxMessage.findMany({
        where: { key: { startsWith: `reminder:${cycle.id}:` } },
      });
      return rows.length > 0 && rows.every((row) => row.status === "sent") && rows;
    });
    expect(new Set(reminders.map((row) => row.conversationRef))).toEqual(new Set([dm(DEMO_IDS.sanne)]));
    core.clock.advance(MINUTE);
    await advanceProject(core.deps, DEMO_IDS.pilot);
    const summary = await eventually(() =>
      adapter.sent.find((s) => s.conversationRef === channel && s.text.includes(`retro ${cycle.sequence} van`)),
    );
    expect(summary.text).toContain("Ahmed schreef dit");
    expect(summary.text).not.toMatch(/Ahmed El Amrani|Lotte Jansen/);
    expect(await database.prisma.actionOwner.count({ where: { action: { cycleId: cycle.id } } })).toBe(0);
    await updateWhere(database.db, "Project", { id: DEMO_IDS.pilot }, { anonymous: false });
  });

  it("reviews last cycle's actions: owner or lead only, with the follow-through rate", async () => {
    await advanceProject(core.deps, DEMO_IDS.pilot);
    const cycle = await latest();
    await answer(DEMO_IDS.ahmed, cycle, "Bewoners bellen");
    await answer(DEMO_IDS.lotte, cycle, "Raad informeren");
    await answer(DEMO_IDS.emma, cycle, "Demo plannen");
    core.clock.advance(3 * MINUTE);
    await advanceProject(core.deps, DEMO_IDS.pilot); // close
    core.clock.advance(MINUTE);
    await advanceProject(core.deps, DEMO_IDS.pilot); // next opens with the review
    const review = await eventually(() =>
      adapter.sent.find(
        (s) =>
          s.conversationRef === channel && /van de vorige keer: hoe/.test(s.text) && s.text.includes("Bewoners bellen"),
      ),
    );
    const mine = await database.prisma.actionItem.findFirstOrThrow({
      where: { text: { startsWith: "Bewoners bellen" } },
    });
    expect(await database.prisma.actionOwner.count({ where: { actionId: mine.id } })).toBe(0); // never its writer
    await insertRow(database.db, "ActionOwner", { actionId: mine.id, personId: DEMO_IDS.ahmed });
    const buttons = review.message.blocks.flatMap((block) => (block.type === "actions" ? block.buttons : []));
    const done = buttons.find((b) => b.actionId === "action.done" && b.value === mine.id);
    if (!done) throw new Error("no done button for the action");
    expect(await fallbackOf(press(DEMO_IDS.emma, "action.done", done.value))).toMatch(/Only the action's owner/);
    expect(await fallbackOf(press(DEMO_IDS.ahmed, "action.done", done.value))).toMatch(/Afgevinkt/);
    const action = await oneWhere(database.db, "ActionItem", { id: done.value });
    expect(action.status).toBe("done");
    const project = await oneWhere(database.db, "Project", { id: DEMO_IDS.pilot });
    expect(project.followThrough).toBeGreaterThan(0);
  });

  it("lets only the lead save or dismiss proposed lessons; dismissed ones are not found", async () => {
    await advanceProject(core.deps, DEMO_IDS.pilot);
    const cycle = await latest();
    await answer(DEMO_IDS.lotte, cycle, "Xylofoonles over bewoners");
    await answer(DEMO_IDS.ahmed, cycle, "Xylofoonles over de raad");
    await answer(DEMO_IDS.emma, cycle, "Xylofoonles over data");
    core.clock.advance(3 * MINUTE);
    await advanceProject(core.deps, DEMO_IDS.pilot);
    const summary = await eventually(() =>
      adapter.sent.find((s) => s.conversationRef === channel && s.text.includes("Xylofoonles")),
    );
    const buttons = summary.message.blocks.flatMap((block) => (block.type === "actions" ? block.buttons : []));
    const dismiss = buttons.find((b) => b.actionId === "lesson.dismiss");
    const save = buttons.find((b) => b.actionId === "lesson.confirm" && b.value !== dismiss?.value);
    if (!dismiss || !save) throw new Error("no lesson buttons");
    expect(await fallbackOf(press(DEMO_IDS.lotte, "lesson.dismiss", dismiss.value))).toMatch(/Alleen de trekker/);
    expect(await fallbackOf(press(DEMO_IDS.sanne, "lesson.dismiss", dismiss.value))).toMatch(/niet bewaard/);
    expect(await fallbackOf(press(DEMO_IDS.sanne, "lesson.confirm", save.value))).toMatch(/Bewaard als les/);
    const statuses = await database.prisma.lesson.findMany({ where: { id: { in: [dismiss.value, save.value] } } });
    expect(statuses.map((l) => l.status).sort()).toEqual(["confirmed", "dismissed"]);
    // Only the saved one: proposed lessons are not found until the lead saves them.
    const found = await fallbackOf(say(DEMO_IDS.sanne, "lessen xylofoonles"));
    expect(found).toContain("1 les ");
  });

  it("skips people who are away, and takes them back with `back`", async () => {
    expect(await fallbackOf(say(DEMO_IDS.emma, "away until 2099-01-01"))).toMatch(/more than a year/);
    expect(await fallbackOf(say(DEMO_IDS.emma, "away until 2026-12-31"))).toMatch(/won't get retro questions/);
    core.clock.advance(4 * MINUTE);
    await advanceProject(core.deps, DEMO_IDS.pilot);
    const awayCycle = await latest();
    const invited = (await core.deps.stores.retro.deliveries(awayCycle.id)).map((d) => d.personId);
    expect(invited).not.toContain(DEMO_IDS.emma);
    expect(invited).toContain(DEMO_IDS.lotte);
    expect(await fallbackOf(say(DEMO_IDS.emma, "back"))).toMatch(/Welcome back/);
    core.clock.advance(4 * MINUTE);
    await advanceProject(core.deps, DEMO_IDS.pilot);
    core.clock.advance(MINUTE);
    await advanceProject(core.deps, DEMO_IDS.pilot);
    const next = await latest();
    expect((await core.deps.stores.retro.deliveries(next.id)).map((d) => d.personId)).toContain(DEMO_IDS.emma);
  });

  it("lets the lead skip the next cycle and change the cadence, showing the next three dates", async () => {
    expect(await fallbackOf(say(DEMO_IDS.lotte, "retro overslaan"))).toMatch(/Alleen de trekker/);
    expect(await fallbackOf(say(DEMO_IDS.sanne, "retro overslaan"))).toMatch(/gaat niet door/);
    await advanceProject(core.deps, DEMO_IDS.pilot); // due now: recorded as skipped
    const skipped = await latest();
    expect(skipped.status).toBe("skipped");
    expect((await core.deps.stores.retro.deliveries(skipped.id)).length).toBe(0);
    expect((await oneWhere(database.db, "Project", { id: DEMO_IDS.pilot })).skipNext).toBe(false);

    const changed = await fallbackOf(say(DEMO_IDS.sanne, "ritme elke 2 weken donderdag 15:00", channel));
    expect(changed).toMatch(/Het ritme is aangepast/);
    expect(changed.split(";")).toHaveLength(3);
    const cadence = (await oneWhere(database.db, "Project", { id: DEMO_IDS.pilot })).cadence;
    expect(cadence).toEqual({ kind: "weekly", weekday: 4, time: "15:00", everyWeeks: 2, timezone: "Europe/Amsterdam" });
    expect(await fallbackOf(say(DEMO_IDS.sanne, "ritme soms"))).toMatch(/begrijp ik niet/);
    expect(await fallbackOf(say(DEMO_IDS.sanne, "feestdagen overslaan"))).toMatch(/vervalt die voortaan/);
    expect((await oneWhere(database.db, "Project", { id: DEMO_IDS.pilot })).holidayPolicy).toBe("skip");
    expect(await fallbackOf(say(DEMO_IDS.sanne, "feestdagen misschien"))).toMatch(/Typ feestdagen/);
  });

  it("holds messages in quiet hours until the next working morning", async () => {
    await updateWhere(
      database.db,
      "Organisation",
      { id: DEMO_IDS.organisation },
      { quietHoursEnd: 8 * 60, quietHoursStart: 18 * 60, quietWeekends: true },
    );
    core.clock.set(new Date("2026-11-24T19:30:00Z")); // Tuesday 20:30 in Amsterdam
    await fallbackOf(say(DEMO_IDS.sanne, "retro nu"));
    const cycle = await latest();
    const prompt = await oneWhere(database.db, "OutboxMessage", { key: `prompt:${cycle.id}:${DEMO_IDS.lotte}` });
    expect(prompt.notBefore?.toISOString()).toBe("2026-11-25T07:00:00.000Z");
    expect(prompt.status).toBe("pending");
    const adapters = new Map([["web", adapter]]);
    expect(await deliverMessage(core.deps, adapters, prompt.id)).toEqual({ deferredUntil: prompt.notBefore });
    core.clock.set(new Date("2026-11-25T07:01:00Z"));
    expect(await deliverMessage(core.deps, adapters, prompt.id)).toBe("sent");
  });
});
