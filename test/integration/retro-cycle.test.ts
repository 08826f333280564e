import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import type { CycleRecord } from "../../src/ports/retro-store.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { deliverMessage } from "../../src/use-cases/deliver-message.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { countWhere, rowsWhere, updateWhere } from "../support/fixtures.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestCore } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const MINUTE = 60_000;
const pilotChannel = `web:channel:${DEMO_IDS.pilot}`;
const dm = (personId: string) => `web:dm:${personId}`;

function answerEvent(personId: string, cycleId: string, answers: Record<string, string>): InboundEvent {
  return {
    type: "formSubmitted",
    platform: "web",
    tenantId: DEMO_IDS.organisation,
    platformUserId: personId,
    conversationRef: dm(personId),
    actionId: "retro.answer",
    value: cycleId,
    answers,
  };
}

function fill(cycle: CycleRecord, personName: string): Record<string, string> {
  return Object.fromEntries(
    cycle.questions.nl.map((question) => [
      question.key,
      question.kind === "scale"
        ? "4"
        : question.yields === "action"
          ? `Actie van ${personName}: bewoners uitnodigen voor de demo`
          : `${personName}: we hebben bewoners en gebruikers te laat betrokken (${question.key})`,
    ]),
  );
}

describe("one whole retro cycle on PostgreSQL and Redis", () => {
  let database: TestDatabase;
  let core: ReturnType<typeof createTestCore>;
  const adapter = createRecordingAdapter("web");

  beforeAll(async () => {
    database = await createTestDatabase();
    core = createTestCore(database, [adapter]);
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
    await updateWhere(database.db, "Project", {}, { retroFormat: "four-ls" });
  });

  afterAll(async () => {
    await core?.close();
    await database?.drop();
  });

  it("opens, prompts, reminds, closes with a summary, logs lessons and actions, and reviews them next time", async () => {
    const deps = core.deps;
    // Two ticks at once still open exactly one cycle.
    await Promise.all([advanceProject(deps, DEMO_IDS.pilot), advanceProject(deps, DEMO_IDS.pilot)]);
    const cycles = await rowsWhere(database.db, "RetroCycle", { projectId: DEMO_IDS.pilot });
    expect(cycles).toHaveLength(1);
    const cycle = (await deps.stores.retro.latestCycle(DEMO_IDS.pilot)) as CycleRecord;
    expect(cycle.status).toBe("open");

    const participants = [DEMO_IDS.sanne, DEMO_IDS.ahmed, DEMO_IDS.lotte, DEMO_IDS.emma];
    await eventually(() => participants.every((id) => adapter.sent.some((s) => s.conversationRef === dm(id))));
    const emmaPrompt = adapter.sent.find((s) => s.conversationRef === dm(DEMO_IDS.emma));
    expect(emmaPrompt?.message.blocks.some((block) => block.type === "form")).toBe(true);
    expect(emmaPrompt?.text).toContain("Retro 1"); // English for Emma
    expect(adapter.sent.filter((s) => s.conversationRef === dm(DEMO_IDS.karin))).toHaveLength(0);

    // Bad input saves nothing and says what to fix, in the person's language.
    const bad = await handleEvent(deps, answerEvent(DEMO_IDS.ahmed, cycle.id, { nope: "x" }));
    expect(bad[0]?.fallback).toMatch(/niet opgeslagen/);
    expect(await countWhere(database.db, "Answer")).toBe(0);

    for (const [id, name] of [
      [DEMO_IDS.ahmed, "Ahmed"],
      [DEMO_IDS.lotte, "Lotte"],
      [DEMO_IDS.emma, "Emma"],
    ] as const) {
      const replies = await handleEvent(deps, answerEvent(id, cycle.id, fill(cycle, name)));
      expect(replies[0]?.fallback).toMatch(/saved|opgeslagen/);
    }
    // A later invalid resubmission keeps what was saved.
    const tooLong = { ...fill(cycle, "Ahmed"), [cycle.questions.nl[0]?.key ?? ""]: "x".repeat(5000) };
    const refused = (await handleEvent(deps, answerEvent(DEMO_IDS.ahmed, cycle.id, tooLong)))[0];
    expect(refused?.fallback).toMatch(/niet opgeslagen/);
    // Dutch groups thousands with a dot: "3.000 tekens", not "3000 tekens".
    expect(JSON.stringify(refused)).toMatch(/hoogstens 3\.000 tekens/);
    const saved = await countWhere(database.db, "Answer", { cycleId: cycle.id });
    expect(saved).toBe(3 * cycle.questions.nl.length);

    // Reminder only to the one who has not answered, with social proof.
    core.clock.advance(MINUTE + 1000);
    await advanceProject(deps, DEMO_IDS.pilot);
    const reminder = await eventually(() =>
      adapter.sent.find((s) => s.conversationRef === dm(DEMO_IDS.sanne) && /Herinnering/.test(s.text)),
    );
    expect(reminder.text).toMatch(/3 van de 4 collega.s in .* hebben geantwoord\. Laat vóór/);
    await advanceProject(deps, DEMO_IDS.pilot);
    const reminders = adapter.sent.filter((s) => /Herinnering|Reminder/.test(s.text));
    expect(reminders.map((s) => s.conversationRef)).toEqual([dm(DEMO_IDS.sanne)]);

    // Close: summary with participation, lessons and actions, none with its writer as owner.
    core.clock.advance(MINUTE);
    await advanceProject(deps, DEMO_IDS.pilot);
    const summary = await eventually(() =>
      adapter.sent.find((s) => s.conversationRef === pilotChannel && /Samenvatting/.test(s.text)),
    );
    expect(summary.text).toContain("3 van de 4");
    expect(summary.text).not.toContain("Lotte Jansen");
    // The answers about learning and change follow grouped by theme, for the team to vote on.
    const grouped = await eventually(() =>
      adapter.sent.find((s) => s.conversationRef === pilotChannel && s.text.includes("Actie van Lotte")),
    );
    expect(grouped.text).not.toContain("Lotte Jansen");
    expect((await deps.stores.retro.cycle(cycle.id))?.status).toBe("closed");
    const lessons = await rowsWhere(database.db, "Lesson", { cycleId: cycle.id });
    expect(lessons.length).toBeGreaterThanOrEqual(3);
    expect(lessons[0]?.themes).toContain("user-involvement");

    // A late answer is refused politely and changes nothing.
    const late = await handleEvent(deps, answerEvent(DEMO_IDS.sanne, cycle.id, fill(cycle, "Sanne")));
    expect(late[0]?.fallback).toMatch(/gesloten/);

    // Next cycle asks about the previous cycle's actions.
    core.clock.advance(MINUTE + 1000);
    await advanceProject(deps, DEMO_IDS.pilot);
    const next = (await deps.stores.retro.latestCycle(DEMO_IDS.pilot)) as CycleRecord;
    expect(next.sequence).toBe(2);
    // The voting closed as the next retro opened; nobody voted, so the answers to the action
    // question became the actions, none with its writer as owner.
    const actions = await rowsWhere(database.db, "ActionItem", { cycleId: cycle.id });
    expect(actions).toHaveLength(3);
    expect(await database.prisma.actionOwner.count({ where: { action: { cycleId: cycle.id } } })).toBe(0);
    const secondPrompt = await eventually(() =>
      adapter.sent.find((s) => s.conversationRef === dm(DEMO_IDS.lotte) && /Retro 2/.test(s.text)),
    );
    expect(secondPrompt.text).toContain("Vorige keer");
    expect(secondPrompt.text).toContain("Actie van Ahmed");
  });

  it("delivers the same outbox message once when its job runs twice", async () => {
    // Let the workers finish what the first test queued, so only this test's sends count.
    await eventually(
      async () => (await database.prisma.outboxMessage.count({ where: { status: { not: "sent" } } })) === 0,
    );
    const row = await database.prisma.outboxMessage.findFirstOrThrow({
      where: { status: "sent" },
      include: { body: true },
    });
    const sendsOfRow = () =>
      adapter.sent.filter(
        (s) =>
          s.conversationRef === row.conversationRef &&
          s.message.fallback === (row.body.message as { fallback: string }).fallback,
      ).length;
    const before = sendsOfRow();
    await updateWhere(database.db, "OutboxMessage", { id: row.id }, { status: "pending" });
    const adapters = new Map([["web", adapter]]);
    const outcomes = await Promise.all([
      deliverMessage(core.deps, adapters, row.id),
      deliverMessage(core.deps, adapters, row.id),
    ]);
    // The other finds the row sent (skipped) or still claimed: then it comes back after the lease.
    expect(outcomes.filter((outcome) => outcome === "sent")).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === "skipped" || typeof outcome === "object")).toHaveLength(1);
    expect(await deliverMessage(core.deps, adapters, row.id)).toBe("skipped");
    expect(sendsOfRow()).toBe(before + 1);
  });
});
