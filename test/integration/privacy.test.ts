import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import type { Message } from "../../src/domain/message.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import type { CycleRecord } from "../../src/ports/retro-store.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { applyRetention } from "../../src/use-cases/privacy.ts";
import { downloadPersonalData } from "../../src/use-cases/privacy-export-link.ts";
import { countWhere, deleteWhere, insertRow, oneWhere, updateWhere } from "../support/fixtures.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { runCliInProcess } from "../support/run-cli.ts";
import { createTestCore, TEST_SECRET } from "../support/test-core.ts";
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
    await updateWhere(database.db, "Project", { id: DEMO_IDS.pilot }, { anonymous });
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

  it("the privacy menu links the organisation's full privacy statement", async () => {
    const [menu] = await handle({ ...base(DEMO_IDS.lotte), type: "command", text: "privacy" });
    const json = JSON.stringify(menu?.blocks);
    expect(json).toContain(`${core.deps.publicUrl}/privacy`);
  });

  it("exports everything about a person, anonymous answers included, only to that person, and audits it", async () => {
    const refused = await press(DEMO_IDS.emma, "privacy.export", DEMO_IDS.lotte);
    expect(refused[0]?.fallback).toMatch(/not allowed/);
    // The chat gets a short-lived link to a file, not the JSON itself.
    const [exported] = await press(DEMO_IDS.lotte, "privacy.export", DEMO_IDS.lotte);
    expect(JSON.stringify(exported?.blocks)).not.toContain("Lotte open antwoord");
    const token = /\/privacy\/export\?token=([\w.-]+)/.exec(exported?.fallback ?? "")?.[1] ?? "";
    expect(token).not.toBe("");
    expect(exported?.fallback).toMatch(/15 minuten/);
    const download = await downloadPersonalData(core.deps, token);
    if (!download.ok) throw new Error(download.code);
    expect(download.filename).toMatch(/^leerlus-export-\d{4}-\d{2}-\d{2}\.json$/);
    expect(download.body).toContain("Lotte open antwoord");
    expect(download.body).toContain("Lotte anoniem antwoord");
    expect(download.body).not.toContain("Emma");
    expect(await countWhere(database.db, "AuditEvent", { kind: "privacy.export", subject: DEMO_IDS.lotte })).toBe(1);
    // Forged or expired links open nothing.
    expect(await downloadPersonalData(core.deps, `${token}x`)).toEqual({ ok: false, code: "LINK_INVALID" });
    core.clock.advance(16 * MINUTE);
    expect(await downloadPersonalData(core.deps, token)).toEqual({ ok: false, code: "LINK_EXPIRED" });
    expect(await countWhere(database.db, "AuditEvent", { kind: "privacy.export", subject: DEMO_IDS.lotte })).toBe(1);
  });

  it("the erase question has Cancel: it erases nothing and replaces the question", async () => {
    const [question] = await press(DEMO_IDS.lotte, "privacy.erase", DEMO_IDS.lotte);
    const buttons = question?.blocks.flatMap((block) => (block.type === "actions" ? block.buttons : [])) ?? [];
    expect(buttons.map((button) => button.label)).toEqual(["Ja, wis alles", "Annuleren"]);
    const [cancelled] = await press(DEMO_IDS.lotte, "privacy.erase.cancel", DEMO_IDS.lotte);
    expect(cancelled?.replacesSource).toBe(true);
    expect(cancelled?.fallback).toBe("Geannuleerd: er is niets gewist.");
    expect(await countWhere(database.db, "Person", { id: DEMO_IDS.lotte })).toBe(1);
  });

  it("the CLI exports as JSON and refuses to erase without --yes", async () => {
    const run = (args: string[]) =>
      runCliInProcess(["privacy", ...args], { DATABASE_URL: database.url, LEERLUS_SECRET: TEST_SECRET });
    const exported = await run(["export", "--person", DEMO_IDS.emma]);
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout).person.displayName).toBe("Emma Clarke");
    const unconfirmed = await run(["erase", "--person", DEMO_IDS.emma]);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toMatch(/--yes/);
    expect((await run(["export", "--person", "00000000-0000-4000-8000-999999999999"])).code).toBe(1);
  });

  it("erases a person after confirmation: answers and identities gone, lessons kept without the link", async () => {
    const lessonsBefore = await countWhere(database.db, "Lesson");
    const lotteChat = `web:dm:${DEMO_IDS.lotte}`;
    const sentToOthers = await database.prisma.outboxMessage.count({ where: { conversationRef: { not: lotteChat } } });
    expect(await countWhere(database.db, "OutboxMessage", { conversationRef: lotteChat })).toBeGreaterThan(0);
    const shown = (conversationRef: string, visibleTo: string | null) =>
      insertRow(database.db, "WebMessage", { conversationRef, visibleTo, message: { fallback: "x", blocks: [] } });
    // A message to her alone, whose content nobody else shares.
    await core.deps.stores.outbox.enqueue([
      {
        key: "erasure:own",
        organisationId: DEMO_IDS.organisation,
        address: { platform: "web", conversationRef: lotteChat },
        message: { fallback: "alleen voor Lotte", blocks: [] },
      },
    ]);
    const ownContent = async () =>
      (
        await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM "OutboxBody" WHERE message::text LIKE '%alleen voor Lotte%'`.execute(database.db)
      ).rows[0]?.n;
    expect(await ownContent()).toBe(1);
    await shown(lotteChat, null);
    await shown("web:channel:pilot", DEMO_IDS.lotte);
    await shown("web:channel:pilot", null);
    const ask = await press(DEMO_IDS.lotte, "privacy.erase", DEMO_IDS.lotte);
    expect(ask[0]?.fallback).toMatch(/niet ongedaan/);
    expect(await countWhere(database.db, "Person", { id: DEMO_IDS.lotte })).toBe(1);
    await press(DEMO_IDS.lotte, "privacy.erase.confirm", DEMO_IDS.lotte);
    expect(await countWhere(database.db, "Person", { id: DEMO_IDS.lotte })).toBe(0);
    expect(await database.prisma.answer.count({ where: { text: { contains: "Lotte" } } })).toBe(0);
    expect(await countWhere(database.db, "ChatIdentity", { personId: DEMO_IDS.lotte })).toBe(0);
    // What was sent to her went too, and nothing sent to anyone else.
    expect(await countWhere(database.db, "OutboxMessage", { conversationRef: lotteChat })).toBe(0);
    expect(await countWhere(database.db, "OutboxMessage")).toBe(sentToOthers);
    expect(await database.prisma.outboxBody.count({ where: { messages: { none: {} } } })).toBe(0);
    expect(await ownContent()).toBe(0);
    expect(
      await database.prisma.webMessage.count({
        where: { OR: [{ conversationRef: lotteChat }, { visibleTo: DEMO_IDS.lotte }] },
      }),
    ).toBe(0);
    expect(await countWhere(database.db, "WebMessage", { conversationRef: "web:channel:pilot" })).toBe(1);
    expect(await countWhere(database.db, "Lesson")).toBe(lessonsBefore);
    const linked = await database.prisma.lesson.count({
      where: { text: { contains: "Lotte" }, sourceAnswerId: { not: null } },
    });
    expect(linked).toBe(0);
    expect(await countWhere(database.db, "AuditEvent", { kind: "privacy.erase", subject: DEMO_IDS.lotte })).toBe(1);
    const after = await handle({ ...base(DEMO_IDS.lotte), type: "command", text: "help" });
    expect(after[0]?.fallback).toMatch(/Ik ken je nog niet/);
  });

  it("deletes answers past the retention period but keeps the lessons", async () => {
    await updateWhere(database.db, "Organisation", { id: DEMO_IDS.organisation }, { retentionMonths: 1 });
    const lessons = await countWhere(database.db, "Lesson");
    expect((await applyRetention(core.deps, DEMO_IDS.organisation)).answers).toBe(0);
    await insertRow(database.db, "Answer", {
      cycleId: (await oneWhere(database.db, "RetroCycle", {})).id,
      responseKey: "k",
      questionKey: "q",
      text: "oud",
    });
    core.clock.advance(62 * 24 * 60 * MINUTE);
    // The web chat's history goes with them: its summaries quote answers. Only this
    // organisation's, and only what is older than the period.
    const pilotChannel = `web:channel:${DEMO_IDS.pilot}`;
    const posted = (conversationRef: string, daysAgo: number) =>
      insertRow(database.db, "WebMessage", {
        conversationRef,
        message: { fallback: `${daysAgo} dagen`, blocks: [] },
        createdAt: new Date(core.clock.now().getTime() - daysAgo * 24 * 60 * MINUTE),
      });
    await posted(pilotChannel, 40);
    const recent = await posted(pilotChannel, 2);
    const elsewhere = await posted("web:channel:andere-organisatie", 40);
    expect((await applyRetention(core.deps, DEMO_IDS.organisation)).answers).toBeGreaterThan(0);
    const history = await database.prisma.webMessage.findMany({
      where: { conversationRef: { in: [pilotChannel, elsewhere.conversationRef] } },
      select: { id: true },
    });
    expect(history.map((row) => row.id).sort()).toEqual([recent.id, elsewhere.id].sort());
    expect(await countWhere(database.db, "Answer")).toBe(0);
    expect(await countWhere(database.db, "Lesson")).toBe(lessons);
    const audit = await oneWhere(database.db, "AuditEvent", { kind: "retention.applied" });
    expect(audit.data).toMatchObject({ webMessagesDeleted: 1 });
  });

  it("deletes outbox messages sent more than 30 days ago, with contents no other message uses", async () => {
    const { outbox } = core.deps.stores;
    const item = (key: string, message: Message, notBefore?: Date) => ({
      key,
      organisationId: DEMO_IDS.organisation,
      address: { platform: "web" as const, conversationRef: "web:channel:retention" },
      message,
      ...(notBefore ? { notBefore } : {}),
    });
    const send = async (queued: { id: string }[]) =>
      outbox.markSent(
        queued.map((message) => ({ id: message.id, sentRef: "ref" })),
        core.clock.now(),
      );
    // One content for two messages: one sent now, one still waiting a year from now.
    const shared = { fallback: "gedeeld", blocks: [] };
    const later = new Date(core.clock.now().getTime() + 365 * 24 * 60 * MINUTE);
    const [old, waiting] = await outbox.enqueue([
      item("retention:old", shared),
      item("retention:waiting", shared, later),
    ]);
    await send([old as { id: string }]);
    await send(await outbox.enqueue([item("retention:old-alone", { fallback: "alleen", blocks: [] })]));
    const [refused] = await outbox.enqueue([item("retention:failed", { fallback: "geweigerd", blocks: [] })]);
    await outbox.markFailed((refused as { id: string }).id, "refused");
    core.clock.advance(40 * 24 * 60 * MINUTE);
    await send(await outbox.enqueue([item("retention:today", { fallback: "vandaag", blocks: [] })]));
    const month = new Date(core.clock.now().getTime() - 30 * 24 * 60 * MINUTE);
    const expired = await database.prisma.outboxMessage.count({
      where: { OR: [{ sentAt: { lt: month } }, { status: "failed", createdAt: { lt: month } }] },
    });
    expect(expired).toBeGreaterThanOrEqual(3);

    // No web chat history to expire: what is left is the outbox's housekeeping.
    await deleteWhere(database.db, "WebMessage", {});
    const audits = await countWhere(database.db, "AuditEvent", { kind: "retention.applied" });
    const { messages } = await applyRetention(core.deps, DEMO_IDS.organisation);
    expect(messages).toBe(expired);
    expect(
      await database.prisma.outboxMessage.count({ where: { OR: [{ sentAt: { lt: month } }, { status: "failed" }] } }),
    ).toBe(0);
    const left = await database.prisma.outboxMessage.findMany({
      where: { key: { startsWith: "retention:" } },
      select: { id: true, key: true, body: { select: { message: true } } },
      orderBy: { key: "asc" },
    });
    expect(left.map((row) => [row.key, row.body.message])).toEqual([
      ["retention:today", { fallback: "vandaag", blocks: [] }],
      ["retention:waiting", shared],
    ]);
    expect(left[1]?.id).toBe(waiting?.id);
    expect(await database.prisma.outboxBody.count({ where: { messages: { none: {} } } })).toBe(0);
    // Housekeeping, not an audit event: deleting answers and chat history is.
    expect(await countWhere(database.db, "AuditEvent", { kind: "retention.applied" })).toBe(audits);
  });

  it("shows the audit log to admins only", async () => {
    const member = await handle({ ...base(DEMO_IDS.emma), type: "command", text: "audit" });
    expect(member[0]?.fallback).toMatch(/Only an administrator/);
    await updateWhere(database.db, "Person", { id: DEMO_IDS.sanne }, { roles: ["member", "admin"] });
    const admin = await handle({ ...base(DEMO_IDS.sanne), type: "command", text: "audit" });
    const text = JSON.stringify(admin[0]?.blocks);
    expect(text).toContain("privacy.erase");
    expect(text).toContain("retention.applied");
  });
});
