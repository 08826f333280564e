import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import type { CycleRecord } from "../../src/ports/retro-store.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { evaluateCheckpoints } from "../../src/use-cases/evaluate-checkpoints.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { countWhere, insertRow, oneWhere, updateWhere } from "../support/fixtures.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { createTestCore } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

// Someone of another organisation tries every door into Gemeente Demo's data with ids they
// should not have: nothing is shown and nothing changes.
describe("tenant isolation", () => {
  let database: TestDatabase;
  let core: ReturnType<typeof createTestCore>;
  let outsider: { id: string; organisationId: string };
  const act = (fields: Partial<InboundEvent>) =>
    handleEvent(core.deps, {
      platform: "web",
      tenantId: outsider.organisationId,
      platformUserId: outsider.id,
      conversationRef: `web:dm:${outsider.id}`,
      ...fields,
    } as InboundEvent);
  const text = async (fields: Partial<InboundEvent>) => JSON.stringify(await act(fields));

  beforeAll(async () => {
    database = await createTestDatabase();
    core = createTestCore(database, [createRecordingAdapter("web")]);
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
    const other = await insertRow(database.db, "Organisation", { name: "Gemeente Elders" });
    const person = await database.prisma.person.create({
      data: {
        organisationId: other.id,
        displayName: "Olaf Outsider",
        roles: ["member", "admin", "adviser"],
        identities: {
          create: {
            platform: "web",
            tenantId: other.id,
            platformUserId: "outsider",
            conversationRef: "web:dm:outsider",
          },
        },
      },
    });
    await updateWhere(database.db, "ChatIdentity", { personId: person.id }, { platformUserId: person.id });
    outsider = { id: person.id, organisationId: other.id };
    await advanceProject(core.deps, DEMO_IDS.pilot);
    await evaluateCheckpoints(core.deps, DEMO_IDS.organisation);
  });

  afterAll(async () => {
    await core?.close();
    await database?.drop();
  });

  it("finds none of another organisation's lessons, actions or audit events", async () => {
    expect(await text({ type: "command", text: "lessons dpia" })).not.toContain("DPIA");
    expect(await text({ type: "command", text: "lessons" })).not.toContain("Slimme straatreiniging");
    await insertRow(database.db, "ActionItem", { projectId: DEMO_IDS.pilot, text: "Geheime actie" });
    expect(await text({ type: "command", text: "actions" })).not.toContain("Geheime actie");
    await insertRow(database.db, "AuditEvent", {
      organisationId: DEMO_IDS.organisation,
      kind: "privacy.export",
      subject: DEMO_IDS.lotte,
    });
    expect(await text({ type: "command", text: "audit" })).not.toContain(DEMO_IDS.lotte);
    expect(await text({ type: "command", text: "digest" })).not.toContain("Gemeente Demo");
  });

  it("cannot answer, decide, review, export or erase with another organisation's ids", async () => {
    const cycle = (await core.deps.stores.retro.latestCycle(DEMO_IDS.pilot)) as CycleRecord;
    expect(await text({ type: "formSubmitted", actionId: "retro.answer", value: cycle.id, answers: {} })).toMatch(
      /niet voor jou|not for you/,
    );
    expect(await text({ type: "action", actionId: "retro.open", value: cycle.id })).not.toContain('"type":"form"');
    const checkpoint = await oneWhere(database.db, "Checkpoint", { projectId: DEMO_IDS.pilot });
    await act({ type: "action", actionId: "checkpoint.done", value: checkpoint.id });
    await act({ type: "action", actionId: "checkpoint.snooze", value: `${checkpoint.id}:4` });
    const after = await oneWhere(database.db, "Checkpoint", { id: checkpoint.id });
    expect([after.status, after.snoozedUntil]).toEqual([checkpoint.status, checkpoint.snoozedUntil]);
    const lesson = await oneWhere(database.db, "Lesson", { organisationId: DEMO_IDS.organisation });
    await act({ type: "action", actionId: "lesson.dismiss", value: lesson.id });
    expect((await oneWhere(database.db, "Lesson", { id: lesson.id })).status).toBe(lesson.status);
    const action = await oneWhere(database.db, "ActionItem", { projectId: DEMO_IDS.pilot });
    await act({ type: "action", actionId: "action.drop", value: action.id });
    expect((await oneWhere(database.db, "ActionItem", { id: action.id })).status).toBe(action.status);
    expect(await text({ type: "action", actionId: "privacy.export", value: DEMO_IDS.lotte })).not.toContain("Lotte");
    await act({ type: "action", actionId: "privacy.erase.confirm", value: DEMO_IDS.lotte });
    expect(await countWhere(database.db, "Person", { id: DEMO_IDS.lotte })).toBe(1);
  });

  it("cannot change or join another organisation's project from its channel", async () => {
    const channel = `web:channel:${DEMO_IDS.pilot}`;
    for (const command of ["retro now", "window 5", "anonymous on", "role Olaf lead", "add Olaf", "skip next"]) {
      await act({ type: "command", text: command, conversationRef: channel });
    }
    const project = await oneWhere(database.db, "Project", { id: DEMO_IDS.pilot });
    expect([project.answerWindowMinutes, project.anonymous, project.skipNext]).toEqual([2, false, false]);
    expect(await countWhere(database.db, "Membership", { personId: outsider.id })).toBe(0);
    expect(await countWhere(database.db, "RetroCycle", { projectId: DEMO_IDS.pilot })).toBe(1);
  });
});
