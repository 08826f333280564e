import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import { PROJECT_FLAGS } from "../../src/domain/project-flags.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import type { CycleRecord } from "../../src/ports/retro-store.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { countWhere, insertRow, oneWhere, rowsWhere, updateWhere } from "../support/fixtures.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestCore } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const NO_FLAGS = Object.fromEntries(PROJECT_FLAGS.map((flag) => [flag, false]));

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const dm = (personId: string) => `web:dm:${personId}`;

const event = (personId: string, fields: Record<string, unknown>): InboundEvent =>
  ({
    platform: "web",
    tenantId: DEMO_IDS.organisation,
    platformUserId: personId,
    conversationRef: dm(personId),
    ...fields,
  }) as InboundEvent;

// The gate decision, decided in chat: Go, Hold, Back, Stop and Finish, with their consequences.
describe("gates: the gate review", () => {
  let database: TestDatabase;
  let core: ReturnType<typeof createTestCore>;
  const adapter = createRecordingAdapter("web");
  const say = async (personId: string, fields: Record<string, unknown>) =>
    (await handleEvent(core.deps, event(personId, fields))).map((m) => m.fallback).join(" ");
  const decide = (personId: string, projectId: string, phase: string, answers: Record<string, string>) =>
    say(personId, { type: "formSubmitted", actionId: "gate.decide", value: `${projectId}:${phase}`, answers });
  const latest = async (projectId: string) => (await core.deps.stores.retro.latestCycle(projectId)) as CycleRecord;
  const closeOpenCycles = () => updateWhere(database.db, "RetroCycle", { status: "open" }, { status: "closed" });

  beforeAll(async () => {
    database = await createTestDatabase();
    core = createTestCore(database, [adapter]);
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
    // The demo projects answered every flag "no": only the checkpoints that always apply are open,
    // so these tests see the same lists as before the flags (flag-driven ones are tested on their own).
    await updateWhere(database.db, "Project", {}, { flags: JSON.stringify(NO_FLAGS) });
  });

  afterAll(async () => {
    await core?.close();
    await database?.drop();
  });

  it("opens the review form for a manager, with the decisions the phase allows", async () => {
    const [review] = await handleEvent(
      core.deps,
      event(DEMO_IDS.karin, { type: "action", actionId: "gate.review", value: DEMO_IDS.pilot }),
    );
    const form = review?.blocks.find((block) => block.type === "form");
    if (form?.type !== "form") throw new Error("no form");
    const decision = form.inputs.find((input) => input.key === "decision");
    expect(decision?.kind === "choice" && decision.options.map((o) => o.value)).toEqual([
      "go",
      "hold",
      "recycle",
      "stop",
    ]);
    expect(form.inputs.map((input) => input.key)).toEqual(["decision", "reason", "gate-date"]);
    // The project and phase, then a key of this form instance (so sending it twice acts once).
    expect(form.submit).toMatchObject({
      actionId: "gate.decide",
      value: expect.stringMatching(new RegExp(`^${DEMO_IDS.pilot}:pilot:[\\w-]+$`)),
    });
    expect(review?.fallback).toMatch(/Fasebesluit voor Slimme straatreiniging/);
  });

  it("asks again for a missing reason or a wrong date, without deciding", async () => {
    const [problem] = await handleEvent(
      core.deps,
      event(DEMO_IDS.karin, {
        type: "formSubmitted",
        actionId: "gate.decide",
        value: `${DEMO_IDS.pilot}:pilot`,
        answers: { decision: "hold", reason: "", "gate-date": "31-02-2027" },
      }),
    );
    expect(Object.keys(problem?.fieldErrors ?? {}).sort()).toEqual(["gate-date", "reason"]);
    expect(await countWhere(database.db, "GateDecision")).toBe(0);
  });

  it("Go from pilot to implement: new phase, its checkpoints, and the next retro asks the implement questions", async () => {
    await advanceProject(core.deps, DEMO_IDS.pilot);
    expect((await latest(DEMO_IDS.pilot)).format).toBe("phase-pilot");
    await closeOpenCycles();
    // Another project already learned something in the implement phase.
    await insertRow(database.db, "Lesson", {
      organisationId: DEMO_IDS.organisation,
      projectId: DEMO_IDS.implementation,
      phase: "implement",
      text: "Beleg het beheer van sensoren vroeg bij de lijnorganisatie en de bewoners",
      themes: ["governance-ownership", "user-involvement"],
      createdAt: core.clock.now(),
    });
    core.clock.advance(DAY);
    const now = core.clock.now();
    expect(
      await decide(DEMO_IDS.karin, DEMO_IDS.pilot, "pilot", { decision: "go", reason: "Bewoners tevreden, DPIA rond" }),
    ).toMatch(/Doorgaan: Slimme straatreiniging gaat naar/);
    const project = await oneWhere(database.db, "Project", { id: DEMO_IDS.pilot });
    expect(project.phase).toBe("implement");
    // Entering the phase brings lessons other projects learned in it to the team's channel.
    const shared = await database.prisma.outboxMessage.findFirst({
      where: { key: { startsWith: `learn-phase:${DEMO_IDS.pilot}:implement` } },
      include: { body: true },
    });
    expect(JSON.stringify(shared?.body.message)).toContain("Beleg het beheer van sensoren");
    expect(project.phaseSince.getTime()).toBe(now.getTime());
    expect(project.gateDate).toBeNull();
    const decisions = await rowsWhere(database.db, "GateDecision", { projectId: DEMO_IDS.pilot });
    expect(decisions).toMatchObject([
      {
        fromPhase: "pilot",
        toPhase: "implement",
        decision: "go",
        reason: "Bewoners tevreden, DPIA rond",
        decidedById: DEMO_IDS.karin,
      },
    ]);
    expect(await rowsWhere(database.db, "AuditEvent", { kind: "gate.go" })).toMatchObject([
      { actorId: DEMO_IDS.karin, subject: DEMO_IDS.pilot, organisationId: DEMO_IDS.organisation },
    ]);
    const implementCheckpoints = await rowsWhere(database.db, "Checkpoint", {
      projectId: DEMO_IDS.pilot,
      phase: "implement",
    });
    expect(implementCheckpoints.length).toBeGreaterThan(3);
    expect(implementCheckpoints[0]?.dueAt.getTime()).toBe(now.getTime() + (180 - 28) * DAY);
    // The team channel hears about it.
    await eventually(() =>
      adapter.sent.find((s) => s.conversationRef === `web:channel:${DEMO_IDS.pilot}` && /Doorgaan/.test(s.text)),
    );
    // An old review form can't be applied twice.
    expect(await decide(DEMO_IDS.karin, DEMO_IDS.pilot, "pilot", { decision: "go", reason: "Nog eens" })).toMatch(
      /verouderd/,
    );
    // The next retro follows the phase.
    core.clock.advance(4 * MINUTE);
    await advanceProject(core.deps, DEMO_IDS.pilot);
    const next = await latest(DEMO_IDS.pilot);
    expect(next.format).toBe("phase-implement");
    expect(next.questions.nl.map((question) => question.key)).toEqual(
      core.deps.prompts.retroFormat("phase-implement", "nl").questions.map((question) => question.key),
    );
  });

  it("Hold keeps the phase and sets the new gate date; Recycle goes back a phase", async () => {
    expect(
      await decide(DEMO_IDS.karin, DEMO_IDS.implementation, "implement", {
        decision: "hold",
        reason: "Budget pas na de voorjaarsnota",
        "gate-date": "1-6-2027",
      }),
    ).toMatch(/Aanhouden/);
    const held = await oneWhere(database.db, "Project", { id: DEMO_IDS.implementation });
    expect(held.phase).toBe("implement");
    expect(held.gateDate?.toISOString()).toBe("2027-06-01T12:00:00.000Z");
    expect(
      await decide(DEMO_IDS.karin, DEMO_IDS.implementation, "implement", {
        decision: "recycle",
        reason: "Opnieuw testen",
      }),
    ).toMatch(/Terug naar vorige fase/);
    const recycled = await oneWhere(database.db, "Project", { id: DEMO_IDS.implementation });
    expect(recycled.phase).toBe("pilot");
    expect(recycled.gateDate).toBeNull();
    expect(
      (await rowsWhere(database.db, "AuditEvent", { subject: DEMO_IDS.implementation })).map((e) => e.kind),
    ).toEqual(["gate.hold", "gate.recycle"]);
  });

  it("Stop ends the project and asks the team for a closing retro whose lessons count", async () => {
    await closeOpenCycles();
    const before = await latest(DEMO_IDS.implementation);
    expect(
      await decide(DEMO_IDS.karin, DEMO_IDS.implementation, "pilot", {
        decision: "stop",
        reason: "Geen eigenaar gevonden",
      }),
    ).toMatch(/Stoppen/);
    const stopped = await oneWhere(database.db, "Project", { id: DEMO_IDS.implementation });
    expect(stopped.phase).toBe("stopped");
    const closing = await latest(DEMO_IDS.implementation);
    expect(closing.sequence).toBe((before?.sequence ?? 0) + 1);
    expect(closing.format).toBe("after-action-review");
    expect(closing.status).toBe("open");
    // Mark (lead) gets the closing retro; the team channel hears why.
    await eventually(() =>
      adapter.sent.find((s) => s.conversationRef === dm(DEMO_IDS.mark) && s.text.includes("Retro")),
    );
    await eventually(() =>
      adapter.sent.find(
        (s) => s.conversationRef === `web:channel:${DEMO_IDS.implementation}` && /afsluitende retro/.test(s.text),
      ),
    );
    // Answers close it as usual, and its lessons are kept; no new retro opens after it.
    const lessonQuestion = closing.questions.nl.find((q) => q.yields === "lesson");
    const answers = Object.fromEntries(
      closing.questions.nl.map((q) => [
        q.key,
        q.kind === "scale" ? "4" : q === lessonQuestion ? "Zoek eerst een eigenaar in de lijn" : "Niets",
      ]),
    );
    for (const personId of [DEMO_IDS.mark, DEMO_IDS.ahmed, DEMO_IDS.lotte]) {
      await say(personId, { type: "formSubmitted", actionId: "retro.answer", value: closing.id, answers });
    }
    await eventually(async () => (await latest(DEMO_IDS.implementation)).status === "closed");
    expect(await countWhere(database.db, "Lesson", { cycleId: closing.id })).toBeGreaterThan(0);
    core.clock.advance(30 * DAY);
    await advanceProject(core.deps, DEMO_IDS.implementation);
    expect((await latest(DEMO_IDS.implementation)).id).toBe(closing.id);
    // A stopped project has no gate review any more.
    expect(
      await say(DEMO_IDS.karin, { type: "action", actionId: "gate.review", value: DEMO_IDS.implementation }),
    ).toMatch(/gestopt/);
  });

  it("shows the portfolio to managers and admins, by phase, and refuses members", async () => {
    expect(await say(DEMO_IDS.lotte, { type: "command", text: "portfolio" })).toMatch(/managers van projecten/);
    const [portfolio] = await handleEvent(core.deps, event(DEMO_IDS.karin, { type: "command", text: "portefeuille" }));
    const text = JSON.stringify(portfolio?.blocks);
    expect(portfolio?.fallback).toBe("Jouw projecten (2)");
    expect(text).toContain("implementatie (1 project)");
    expect(text).toContain("gestopt (1 project)");
    expect(text).toMatch(/verplichte toetspunten: \d+ van \d+ afgerond/);
    expect(text).toContain("laatste retro: 3 van de 3 antwoorden binnen");
    expect(text).toContain("volgend fasebesluit");
    const buttons = portfolio?.blocks.flatMap((block) => (block.type === "actions" ? block.buttons : [])) ?? [];
    expect(buttons.map((b) => b.value)).toEqual([DEMO_IDS.pilot]);
    // An admin sees the whole organisation.
    await updateWhere(database.db, "Person", { id: DEMO_IDS.joost }, { roles: ["adviser", "admin"] });
    const [all] = await handleEvent(core.deps, event(DEMO_IDS.joost, { type: "command", text: "portfolio" }));
    expect(all?.fallback).toBe("Projecten van Gemeente Demo (2)");
  });
});
