import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import { PROJECT_FLAGS } from "../../src/domain/project-flags.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import type { CycleRecord } from "../../src/ports/retro-store.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { evaluateCheckpoints } from "../../src/use-cases/evaluate-checkpoints.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { countWhere, deleteWhere, oneWhere, updateWhere } from "../support/fixtures.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestCore } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const DAY = 24 * 60 * 60_000;
const NO_FLAGS = Object.fromEntries(PROJECT_FLAGS.map((flag) => [flag, false]));
const EXPLORE = "0b7e6d3a-0000-4000-8000-00000000e001";
const SCALE = "0b7e6d3a-0000-4000-8000-00000000e002";
const channel = (projectId: string) => `web:channel:${projectId}`;

// The checkpoint model through the real use cases and PostgreSQL: before-start checkpoints
// guard the gate into their phase, flags make checkpoints not applicable, a project finishes.
describe("checkpoints a municipality recognises, at the moment the law needs them", () => {
  let database: TestDatabase;
  let core: ReturnType<typeof createTestCore>;
  const adapter = createRecordingAdapter("web");
  const send = async (personId: string, fields: Record<string, unknown>, where = `web:dm:${personId}`) =>
    handleEvent(core.deps, {
      platform: "web",
      tenantId: DEMO_IDS.organisation,
      platformUserId: personId,
      conversationRef: where,
      ...fields,
    } as InboundEvent);
  const say = async (personId: string, fields: Record<string, unknown>, where?: string) =>
    (await send(personId, fields, where)).map((m) => `${m.fallback} ${JSON.stringify(m.blocks)}`).join(" ");
  const decide = (projectId: string, phase: string, decision: string, reason: string) =>
    say(DEMO_IDS.karin, {
      type: "formSubmitted",
      actionId: "gate.decide",
      value: `${projectId}:${phase}`,
      answers: { decision, reason },
    });
  const markDone = async (projectId: string, phase: string, key: string) => {
    const checkpoint = await oneWhere(database.db, "Checkpoint", { projectId, phase, key });
    return say(DEMO_IDS.karin, {
      type: "formSubmitted",
      actionId: "checkpoint.done.submit",
      value: checkpoint.id,
      answers: { note: `Vastgesteld: ${key}` },
    });
  };
  const createProject = (id: string, name: string, phase: string, flags: Record<string, boolean>) =>
    database.prisma.project.create({
      data: {
        id,
        organisationId: DEMO_IDS.organisation,
        name,
        phase,
        phaseSince: new Date(core.clock.now().getTime() - 30 * DAY),
        flags,
        cadence: { kind: "minutes", every: 3 },
        createdAt: core.clock.now(),
        channels: { create: { platform: "web", conversationRef: channel(id) } },
        memberships: {
          create: [
            { personId: DEMO_IDS.sanne, role: "lead" },
            { personId: DEMO_IDS.lotte, role: "member" },
            { personId: DEMO_IDS.karin, role: "manager" },
          ],
        },
      },
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    core = createTestCore(database, [adapter]);
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
    await createProject(EXPLORE, "Chatbot voor vergunningen", "explore", { ...NO_FLAGS, "personal-data": true });
    await createProject(SCALE, "Digitale meldingen", "scale", NO_FLAGS);
  });

  afterAll(async () => {
    await core?.close();
    await database?.drop();
  });

  it("refuses Go into the pilot while the before-start DPIA is open on a project with personal data", async () => {
    const refused = await decide(EXPLORE, "explore", "go", "Pilot kan beginnen");
    expect(refused).toMatch(/Doorgaan kan nog niet/);
    expect(refused).toContain("Is de DPIA afgerond vóór de eerste verwerking");
    const project = await oneWhere(database.db, "Project", { id: EXPLORE });
    expect(project.phase).toBe("explore");
    expect(await countWhere(database.db, "GateDecision", { projectId: EXPLORE })).toBe(0);
    // Checkpoints whose flags are all "no" did not block: they are not applicable, with the reason.
    const processor = await oneWhere(database.db, "Checkpoint", {
      projectId: EXPLORE,
      phase: "pilot",
      key: "processor-agreement",
    });
    expect(processor).toMatchObject({ status: "not-applicable", reason: "auto:external-processor" });
    // The review form says what blocks the decision.
    const review = await say(DEMO_IDS.karin, { type: "action", actionId: "gate.review", value: EXPLORE });
    expect(review).toContain("Nog open en nodig om door te gaan");
    // Done, with the FG's advice and the manager's decision on the residual risk: now Go works.
    for (const key of ["dpia-before-start", "gdpr-basics", "security-risk-analysis"]) {
      expect(await markDone(EXPLORE, "pilot", key)).toMatch(/Afgevinkt/);
    }
    expect(await decide(EXPLORE, "explore", "go", "DPIA vastgesteld")).toMatch(/Doorgaan: Chatbot voor vergunningen/);
    expect((await oneWhere(database.db, "Project", { id: EXPLORE })).phase).toBe("pilot");
  });

  it("lets members list their checkpoints, with status, evidence and the reason a flag gave", async () => {
    // The lead says there is no AI after all; Lotte, a member, asks in the channel.
    expect(await say(DEMO_IDS.sanne, { type: "command", text: "kenmerken ai-systeem nee" }, channel(EXPLORE))).toMatch(
      /ai-system: .* nee/,
    );
    const list = await say(DEMO_IDS.lotte, { type: "command", text: "toetspunten" }, channel(EXPLORE));
    expect(list).toContain("Toetspunten van Chatbot voor vergunningen");
    expect(list).toContain("[dpia-before-start]");
    expect(list).toContain("Onderbouwing: Vastgesteld: dpia-before-start");
    expect(list).toContain("niet van toepassing: geen AI of algoritme");
    expect(list).toContain("Bron: https://");
    // Flipping a flag back opens what it had closed.
    await say(DEMO_IDS.sanne, { type: "command", text: "kenmerken ai-systeem ja" }, channel(EXPLORE));
    const literacy = await oneWhere(database.db, "Checkpoint", {
      projectId: EXPLORE,
      phase: "pilot",
      key: "ai-literacy",
    });
    expect(literacy.status).toBe("open");
    // Members may not change flags.
    expect(await say(DEMO_IDS.lotte, { type: "command", text: "flags ai-system no" }, channel(EXPLORE))).not.toMatch(
      /ai-system: .* nee/,
    );
  });

  it("finishes a project: hand-over checks first, then afgerond, a closing retro, and no more nudges", async () => {
    await updateWhere(database.db, "RetroCycle", { status: "open" }, { status: "closed" });
    const refused = await decide(SCALE, "scale", "finish", "Alles overgedragen");
    expect(refused).toMatch(/Doorgaan kan nog niet/);
    expect(refused).toContain("Draait het product in de lijnorganisatie");
    // The lead attaches evidence; the manager sees it prefilled and accepts it.
    expect(
      await say(
        DEMO_IDS.sanne,
        { type: "command", text: "onderbouwing in-operation Decharge getekend" },
        channel(SCALE),
      ),
    ).toMatch(/Onderbouwing toegevoegd/);
    expect(await say(DEMO_IDS.lotte, { type: "command", text: "checkpoints" }, channel(SCALE))).toContain(
      "wacht op akkoord van de manager",
    );
    const inOperation = await oneWhere(database.db, "Checkpoint", {
      projectId: SCALE,
      phase: "finished",
      key: "in-operation",
    });
    const form = await say(DEMO_IDS.karin, { type: "action", actionId: "checkpoint.done", value: inOperation.id });
    expect(form).toContain("Decharge getekend");
    for (const key of ["in-operation", "project-file-archived", "final-evaluation-published"]) {
      await markDone(SCALE, "finished", key);
    }
    expect(await decide(SCALE, "scale", "finish", "Draait in de lijn")).toMatch(/Afronden en overdragen: Digitale/);
    const project = await oneWhere(database.db, "Project", { id: SCALE });
    expect(project.phase).toBe("finished");
    await eventually(() =>
      adapter.sent.find((s) => s.conversationRef === channel(SCALE) && /Afronden en overdragen/.test(s.text)),
    );
    const closing = (await core.deps.stores.retro.latestCycle(SCALE)) as CycleRecord;
    expect(closing).toMatchObject({ format: "after-action-review", status: "open" });
    // After it: no nudges, no new retros, no gate decision.
    core.clock.advance(400 * DAY);
    await evaluateCheckpoints(core.deps, DEMO_IDS.organisation);
    await advanceProject(core.deps, SCALE);
    await advanceProject(core.deps, SCALE);
    expect((await core.deps.stores.retro.latestCycle(SCALE))?.sequence).toBe(closing.sequence);
    const nudgesAfter = await database.prisma.outboxMessage.count({ where: { key: { startsWith: `nudge:${SCALE}` } } });
    expect(nudgesAfter).toBe(0);
    // Not for want of something to nudge about: scale checkpoints are still open and overdue.
    const overdue = await database.prisma.checkpoint.count({
      where: { projectId: SCALE, phase: "scale", status: "open", dueAt: { lt: core.clock.now() } },
    });
    expect(overdue).toBeGreaterThan(0);
    expect(await say(DEMO_IDS.karin, { type: "action", actionId: "gate.review", value: SCALE })).toMatch(
      /afgerond en overgedragen/,
    );
  });

  it("nudges the lead and admins of a project without a manager, and its sponsor once it is stuck", async () => {
    await deleteWhere(database.db, "Membership", { projectId: EXPLORE, role: "manager" });
    await say(DEMO_IDS.sanne, { type: "command", text: "rol Lotte opdrachtgever" }, channel(EXPLORE));
    expect(await countWhere(database.db, "Membership", { projectId: EXPLORE, role: "sponsor" })).toBe(1);
    await updateWhere(database.db, "Person", { id: DEMO_IDS.joost }, { roles: ["adviser", "admin"] });
    for (let week = 0; week < 3; week += 1) {
      core.clock.advance(8 * DAY);
      await evaluateCheckpoints(core.deps, DEMO_IDS.organisation);
    }
    const to = async (personId: string) =>
      database.prisma.outboxMessage.count({
        where: { key: { startsWith: `nudge:${EXPLORE}:${personId}` } },
      });
    expect(await to(DEMO_IDS.sanne)).toBe(3);
    expect(await to(DEMO_IDS.joost)).toBe(3);
    // The third unanswered nudge makes the project stuck: the sponsor hears about it.
    expect(await to(DEMO_IDS.lotte)).toBe(1);
  });
});

describe("project flags at intake", () => {
  let database: TestDatabase;
  let core: ReturnType<typeof createTestCore>;

  beforeAll(async () => {
    database = await createTestDatabase();
    core = createTestCore(database, [createRecordingAdapter("web")]);
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
  });

  afterAll(async () => {
    await core?.close();
    await database?.drop();
  });

  const submit = (answers: Record<string, string>) =>
    handleEvent(core.deps, {
      platform: "web",
      tenantId: DEMO_IDS.organisation,
      platformUserId: DEMO_IDS.lotte,
      conversationRef: `web:dm:${DEMO_IDS.lotte}`,
      type: "formSubmitted",
      actionId: "setup.submit",
      value: "new",
      answers,
    } as InboundEvent);

  it("asks the flags on the setup form and stores the answers; an unanswered flag stays open", async () => {
    const base = { name: "Slimme lantaarnpalen", phase: "explore", cadence: "elke 2 weken donderdag 15:00" };
    const invalid = await submit({ ...base, lead: DEMO_IDS.lotte, "flag-personal-data": "misschien" });
    expect(Object.keys(invalid[0]?.fieldErrors ?? {})).toEqual(["flag-personal-data"]);
    await submit({ ...base, lead: DEMO_IDS.lotte, "flag-personal-data": "yes", "flag-ai-system": "no" });
    const project = await oneWhere(database.db, "Project", { name: "Slimme lantaarnpalen" });
    expect(project.flags).toEqual({ "personal-data": true, "ai-system": false });
  });
});
