import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import type { Button, Message } from "../../src/domain/message.ts";
import { PROJECT_FLAGS } from "../../src/domain/project-flags.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import { evaluateCheckpoints } from "../../src/use-cases/evaluate-checkpoints.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { dm, press } from "../support/demo-events.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { createTestCore } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const NO_FLAGS = Object.fromEntries(PROJECT_FLAGS.map((flag) => [flag, false]));

const DAY = 24 * 60 * 60 * 1000;

function submit(personId: string, actionId: string, value: string, answers: Record<string, string>): InboundEvent {
  return { ...press(personId, actionId, value), type: "formSubmitted", answers } as InboundEvent;
}

const buttonsOf = (message: Message): Button[] =>
  message.blocks.flatMap((block) => (block.type === "actions" ? block.buttons : []));

// Nudges to managers: due and overdue, once a week, snooze, quiet hours, stuck, permissions, audit.
describe("gates: manager nudges about scaling checkpoints", () => {
  let database: TestDatabase;
  let core: ReturnType<typeof createTestCore>;
  const adapter = createRecordingAdapter("web");
  const fallback = async (event: InboundEvent) =>
    (await handleEvent(core.deps, event)).map((m) => m.fallback).join(" ");
  const nudges = () =>
    database.db.outboxMessage.findMany({
      where: {
        conversationRef: dm(DEMO_IDS.karin),
        OR: [{ key: { startsWith: "nudge:" } }, { key: { startsWith: "gate-notice:" } }],
      },
      orderBy: { createdAt: "asc" },
      include: { body: true },
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    core = createTestCore(database, [adapter]);
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
    // The demo projects answered every flag "no": only the checkpoints that always apply are open,
    // so these tests see the same lists as before the flags (flag-driven ones are tested on their own).
    await database.db.project.updateMany({ data: { flags: NO_FLAGS } });
    // Working hours from 08:00 to 18:00 on weekdays, as a real organisation has them.
    await database.db.organisation.update({
      where: { id: DEMO_IDS.organisation },
      data: { quietHoursEnd: 8 * 60, quietHoursStart: 18 * 60, quietWeekends: true, phaseTargets: { implement: 200 } },
    });
  });

  afterAll(async () => {
    await core?.close();
    await database?.drop();
  });

  it("creates checkpoints due before the gate and nudges only about the project they are due for", async () => {
    await evaluateCheckpoints(core.deps, DEMO_IDS.organisation);
    const pilot = await database.db.checkpoint.findMany({ where: { projectId: DEMO_IDS.pilot } });
    const implementation = await database.db.checkpoint.findMany({ where: { projectId: DEMO_IDS.implementation } });
    // Pilot: 160 days into a 180-day phase, so due 152 days in (8 days ago): overdue.
    const seeded = (await database.db.project.findUniqueOrThrow({ where: { id: DEMO_IDS.pilot } })).phaseSince;
    // Before-gate checkpoints; during ones fall due halfway (90 days in).
    const beforeGate = new Set(
      core.deps.prompts
        .checkpoints("pilot", "en")
        .filter((d) => d.when === "before-gate")
        .map((d) => d.key),
    );
    const pilotOwn = pilot.filter((checkpoint) => checkpoint.phase === "pilot");
    expect(
      pilotOwn.filter((c) => beforeGate.has(c.key)).every((c) => c.dueAt.getTime() === seeded.getTime() + 152 * DAY),
    ).toBe(true);
    expect(pilotOwn.filter((c) => c.key === "open-source-unless").map((c) => c.dueAt.getTime())).toEqual([
      seeded.getTime() + 90 * DAY,
    ]);
    // Implementation: the organisation's own target (200 days) sets its gate; due 172 days in.
    const implementSince = (await database.db.project.findUniqueOrThrow({ where: { id: DEMO_IDS.implementation } }))
      .phaseSince;
    const structural = implementation.find((checkpoint) => checkpoint.key === "structural-budget");
    expect(structural?.dueAt.getTime()).toBe(implementSince.getTime() + 172 * DAY);
    const sent = await nudges();
    expect(sent).toHaveLength(1);
    const message = sent[0]?.body.message as Message;
    expect(message.fallback).toContain("Slimme straatreiniging");
    const text = JSON.stringify(message);
    expect(text).toContain("verlopen sinds");
    // Must-meet first, three at most, each with done, not applicable and three snoozes; then the gate review.
    const buttons = buttonsOf(message);
    expect(buttons.filter((b) => b.actionId === "checkpoint.done")).toHaveLength(3);
    expect(buttons.filter((b) => b.actionId === "checkpoint.not-applicable")).toHaveLength(3);
    expect(buttons.filter((b) => b.actionId === "checkpoint.snooze").map((b) => b.value.split(":")[1])).toEqual([
      "1",
      "2",
      "4",
      "1",
      "2",
      "4",
      "1",
      "2",
      "4",
    ]);
    expect(buttons.at(-1)).toMatchObject({ actionId: "gate.review", value: DEMO_IDS.pilot });
    const nudged = await database.db.checkpoint.findMany({ where: { projectId: DEMO_IDS.pilot, nudgesSent: 1 } });
    expect(nudged.every((checkpoint) => checkpoint.mustMeet)).toBe(true);
  });

  it("nudges at most once a week", async () => {
    await evaluateCheckpoints(core.deps, DEMO_IDS.organisation);
    core.clock.advance(6 * DAY);
    await evaluateCheckpoints(core.deps, DEMO_IDS.organisation);
    expect(await nudges()).toHaveLength(1);
  });

  it("holds a nudge that falls due in quiet hours until the next working morning", async () => {
    // Tuesday 1 Dec 2026, 06:00 in Amsterdam: more than a week after the first nudge, before working hours.
    core.clock.set(new Date("2026-12-01T05:00:00Z"));
    await evaluateCheckpoints(core.deps, DEMO_IDS.organisation);
    const sent = await nudges();
    expect(sent).toHaveLength(2);
    expect(sent[1]?.notBefore?.toISOString()).toBe("2026-12-01T07:00:00.000Z");
    // The gate (20 days after the seed) is now within two weeks: the nudge says so.
    expect(JSON.stringify(sent[1]?.body.message)).toContain("Het fasebesluit komt eraan");
  });

  it("refuses a member politely and changes nothing", async () => {
    const checkpoint = await database.db.checkpoint.findFirstOrThrow({
      where: { projectId: DEMO_IDS.pilot, status: "open", mustMeet: true },
    });
    for (const [actionId, value] of [
      ["checkpoint.done", checkpoint.id],
      ["checkpoint.not-applicable", checkpoint.id],
      ["checkpoint.snooze", `${checkpoint.id}:4`],
      ["gate.review", DEMO_IDS.pilot],
    ] as const) {
      expect(await fallback(press(DEMO_IDS.lotte, actionId, value))).toMatch(/Alleen de managers van het project/);
    }
    expect(
      await fallback(submit(DEMO_IDS.lotte, "checkpoint.done.submit", checkpoint.id, { note: "Door mij gedaan" })),
    ).toMatch(/Alleen de managers/);
    expect(
      await fallback(submit(DEMO_IDS.sanne, "gate.decide", `${DEMO_IDS.pilot}:pilot`, { decision: "go", reason: "x" })),
    ).toMatch(/Alleen de managers/);
    const after = await database.db.checkpoint.findUniqueOrThrow({ where: { id: checkpoint.id } });
    expect(after).toMatchObject({ status: "open", snoozedUntil: null, decidedById: null });
    expect((await database.db.project.findUniqueOrThrow({ where: { id: DEMO_IDS.pilot } })).phase).toBe("pilot");
    expect(await database.db.auditEvent.count()).toBe(0);
    expect(await database.db.gateDecision.count()).toBe(0);
  });

  it("records done with evidence, not applicable with a reason, and snoozes of one, two and four weeks, all audited", async () => {
    const open = await database.db.checkpoint.findMany({
      where: { projectId: DEMO_IDS.pilot, status: "open" },
      orderBy: { key: "asc" },
    });
    const [first, second, ...rest] = open;
    if (!first || !second || rest.length < 3) throw new Error("too few checkpoints");
    // Done asks for the evidence in a small form, then records it.
    const [form] = await handleEvent(core.deps, press(DEMO_IDS.karin, "checkpoint.done", first.id));
    const formBlock = form?.blocks.find((block) => block.type === "form");
    // The value names the checkpoint and, after a #, the form as it was shown.
    expect(formBlock).toMatchObject({ submit: { actionId: "checkpoint.done.submit" } });
    expect(formBlock?.type === "form" && formBlock.submit.value.startsWith(`${first.id}#`)).toBe(true);
    expect(await fallback(submit(DEMO_IDS.karin, "checkpoint.done.submit", first.id, { note: " " }))).toMatch(
      /Schrijf er kort bij/,
    );
    expect(
      await fallback(
        submit(DEMO_IDS.karin, "checkpoint.done.submit", first.id, { note: "Testverslag van 12 bewoners" }),
      ),
    ).toMatch(/Afgevinkt/);
    expect(await fallback(submit(DEMO_IDS.karin, "checkpoint.done.submit", first.id, { note: "Nog eens" }))).toMatch(
      /al besloten/,
    );
    expect(await database.db.checkpoint.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({
      status: "done",
      evidence: "Testverslag van 12 bewoners",
      decidedById: DEMO_IDS.karin,
    });
    const [naForm] = await handleEvent(core.deps, press(DEMO_IDS.karin, "checkpoint.not-applicable", second.id));
    expect(naForm?.blocks.some((block) => block.type === "form")).toBe(true);
    expect(
      await fallback(submit(DEMO_IDS.karin, "checkpoint.not-applicable.submit", second.id, { note: "Geen algoritme" })),
    ).toMatch(/Niet van toepassing/);
    expect(await database.db.checkpoint.findUniqueOrThrow({ where: { id: second.id } })).toMatchObject({
      status: "not-applicable",
      reason: "Geen algoritme",
    });
    const now = core.clock.now().getTime();
    for (const [index, weeks] of [1, 2, 4].entries()) {
      const checkpoint = rest[index];
      if (!checkpoint) throw new Error("missing checkpoint");
      expect(await fallback(press(DEMO_IDS.karin, "checkpoint.snooze", `${checkpoint.id}:${weeks}`))).toMatch(
        /Uitgesteld tot/,
      );
      const snoozed = await database.db.checkpoint.findUniqueOrThrow({ where: { id: checkpoint.id } });
      expect(snoozed.snoozedUntil?.getTime()).toBe(now + weeks * 7 * DAY);
      expect(snoozed.nudgesSent).toBe(0);
    }
    const kinds = (await database.db.auditEvent.findMany({ where: { actorId: DEMO_IDS.karin } })).map((e) => e.kind);
    expect(kinds.sort()).toEqual([
      "checkpoint.done",
      "checkpoint.not-applicable",
      "checkpoint.snoozed",
      "checkpoint.snoozed",
      "checkpoint.snoozed",
    ]);
  });

  it("marks the project stuck after three ignored nudges, for the portfolio and the digest", async () => {
    // The implementation's checkpoints fall due; nobody answers three weekly nudges.
    const implementation = DEMO_IDS.implementation;
    await database.db.project.update({
      where: { id: implementation },
      data: { phaseSince: new Date(core.clock.now().getTime() - 190 * DAY) },
    });
    await database.db.checkpoint.updateMany({
      where: { projectId: implementation },
      data: { dueAt: new Date(core.clock.now().getTime() - DAY) },
    });
    expect(await core.deps.stores.gates.stuckProjects(DEMO_IDS.organisation)).toEqual([]);
    const before = (await nudges()).length;
    for (let week = 0; week < 3; week++) {
      core.clock.advance(7 * DAY);
      await evaluateCheckpoints(core.deps, DEMO_IDS.organisation);
    }
    const sent = (await nudges()).slice(before).filter((row) => row.key.includes(implementation));
    expect(sent).toHaveLength(3);
    expect(JSON.stringify(sent[2]?.body.message)).toContain("vastgelopen");
    expect(JSON.stringify(sent[1]?.body.message)).not.toContain("vastgelopen");
    // (The pilot's snoozed checkpoints came back and went unanswered too.)
    expect(await core.deps.stores.gates.stuckProjects(DEMO_IDS.organisation)).toContainEqual({
      projectId: implementation,
      name: "Woningbouwmonitor",
      phase: "implement",
    });
    const portfolio = await handleEvent(core.deps, {
      type: "command",
      platform: "web",
      tenantId: DEMO_IDS.organisation,
      platformUserId: DEMO_IDS.karin,
      conversationRef: dm(DEMO_IDS.karin),
      text: "portefeuille",
    });
    const line = JSON.stringify(portfolio[0]?.blocks);
    expect(line).toContain("VASTGELOPEN");
  });
});
