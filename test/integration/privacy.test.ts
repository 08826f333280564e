import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import type { CycleRecord } from "../../src/ports/store.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { applyRetention } from "../../src/use-cases/privacy.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { createTestCore } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const MINUTE = 60_000;
const base = (personId: string) => ({
  platform: "web" as const,
  tenantId: DEMO_IDS.organisation,
  platformUserId: personId,
  conversationRef: `web:dm:${personId}`,
});

describe("privacy: export, erasure, retention and the audit log", () => {
  let database: TestDatabase;
  let core: ReturnType<typeof createTestCore>;
  const adapter = createRecordingAdapter("web");
  const handle = (input: InboundEvent) => handleEvent(core.deps, input);
  const press = (personId: string, actionId: string, value: string) =>
    handle({ ...base(personId), type: "action", actionId, value });

  async function runCycle(anonymous: boolean, text: string): Promise<CycleRecord> {
    await database.db.project.update({ where: { id: DEMO_IDS.pilot }, data: { anonymous } });
    core.clock.advance(4 * MINUTE);
    await advanceProject(core.deps, DEMO_IDS.pilot);
    const cycle = (await core.deps.stores.retro.latestCycle(DEMO_IDS.pilot)) as CycleRecord;
    const answers = Object.fromEntries(
      cycle.questions.nl.map((q) => [q.key, q.kind === "scale" ? "3" : `${text} ${q.key}`]),
    );
    await handle({
      ...base(DEMO_IDS.lotte),
      type: "formSubmitted",
      actionId: "retro.answer",
      value: cycle.id,
      answers,
    });
    core.clock.advance(3 * MINUTE);
    await advanceProject(core.deps, DEMO_IDS.pilot);
    return cycle;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    core = createTestCore(database, [adapter]);
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
    await runCycle(false, "Lotte open antwoord");
    await runCycle(true, "Lotte anoniem antwoord");
  });

  afterAll(async () => {
    await core?.close();
    await database?.drop();
  });

  it("exports everything about a person, anonymous answers included, only to that person, and audits it", async () => {
    const refused = await press(DEMO_IDS.emma, "privacy.export", DEMO_IDS.lotte);
    expect(refused[0]?.fallback).toMatch(/not allowed/);
    const [exported] = await press(DEMO_IDS.lotte, "privacy.export", DEMO_IDS.lotte);
    const json = JSON.stringify(exported?.blocks);
    expect(json).toContain("Lotte open antwoord");
    expect(json).toContain("Lotte anoniem antwoord");
    expect(json).not.toContain("Emma");
    expect(await database.db.auditEvent.count({ where: { kind: "privacy.export", subject: DEMO_IDS.lotte } })).toBe(1);
  });

  it("the CLI exports as JSON and refuses to erase without --yes", () => {
    const run = (args: string[]) =>
      spawnSync(process.execPath, ["bin/leerlus.js", "privacy", ...args], {
        cwd: path.resolve(import.meta.dirname, "../.."),
        env: { ...process.env, DATABASE_URL: database.url, LEERLUS_SECRET: "test-secret-test-secret-test-secret!" },
        encoding: "utf8",
        timeout: 30_000,
      });
    const exported = run(["export", "--person", DEMO_IDS.emma]);
    expect(exported.status).toBe(0);
    expect(JSON.parse(exported.stdout).person.displayName).toBe("Emma Clarke");
    const unconfirmed = run(["erase", "--person", DEMO_IDS.emma]);
    expect(unconfirmed.status).toBe(2);
    expect(unconfirmed.stderr).toMatch(/--yes/);
    expect(run(["export", "--person", "00000000-0000-4000-8000-999999999999"]).status).toBe(1);
  });

  it("erases a person after confirmation: answers and identities gone, lessons kept without the link", async () => {
    const lessonsBefore = await database.db.lesson.count();
    const ask = await press(DEMO_IDS.lotte, "privacy.erase", DEMO_IDS.lotte);
    expect(ask[0]?.fallback).toMatch(/niet ongedaan/);
    expect(await database.db.person.count({ where: { id: DEMO_IDS.lotte } })).toBe(1);
    await press(DEMO_IDS.lotte, "privacy.erase.confirm", DEMO_IDS.lotte);
    expect(await database.db.person.count({ where: { id: DEMO_IDS.lotte } })).toBe(0);
    expect(await database.db.answer.count({ where: { text: { contains: "Lotte" } } })).toBe(0);
    expect(await database.db.chatIdentity.count({ where: { personId: DEMO_IDS.lotte } })).toBe(0);
    expect(await database.db.lesson.count()).toBe(lessonsBefore);
    const linked = await database.db.lesson.count({
      where: { text: { contains: "Lotte" }, sourceAnswerId: { not: null } },
    });
    expect(linked).toBe(0);
    expect(await database.db.auditEvent.count({ where: { kind: "privacy.erase", subject: DEMO_IDS.lotte } })).toBe(1);
    const after = await handle({ ...base(DEMO_IDS.lotte), type: "command", text: "help" });
    expect(after[0]?.fallback).toMatch(/Ik ken je nog niet/);
  });

  it("deletes answers past the retention period but keeps the lessons", async () => {
    await database.db.organisation.update({ where: { id: DEMO_IDS.organisation }, data: { retentionMonths: 1 } });
    const lessons = await database.db.lesson.count();
    expect(await applyRetention(core.deps, DEMO_IDS.organisation)).toBe(0);
    await database.db.answer.create({
      data: {
        cycleId: (await database.db.retroCycle.findFirstOrThrow()).id,
        responseKey: "k",
        questionKey: "q",
        text: "oud",
      },
    });
    core.clock.advance(62 * 24 * 60 * MINUTE);
    expect(await applyRetention(core.deps, DEMO_IDS.organisation)).toBeGreaterThan(0);
    expect(await database.db.answer.count()).toBe(0);
    expect(await database.db.lesson.count()).toBe(lessons);
    expect(await database.db.auditEvent.count({ where: { kind: "retention.applied" } })).toBe(1);
  });

  it("shows the audit log to admins only", async () => {
    const member = await handle({ ...base(DEMO_IDS.emma), type: "command", text: "audit" });
    expect(member[0]?.fallback).toMatch(/Only an administrator/);
    await database.db.person.update({ where: { id: DEMO_IDS.sanne }, data: { roles: ["member", "admin"] } });
    const admin = await handle({ ...base(DEMO_IDS.sanne), type: "command", text: "audit" });
    const text = JSON.stringify(admin[0]?.blocks);
    expect(text).toContain("privacy.erase");
    expect(text).toContain("retention.applied");
  });
});
