import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Message } from "../../src/domain/message.ts";
import type { Db } from "../../src/persistence/database.ts";
import { createOutboxRepository } from "../../src/persistence/outbox-repository.ts";
import { type ChatAdapter, DeliveryError } from "../../src/ports/chat-adapter.ts";
import type { CycleQuestions } from "../../src/ports/retro-store.ts";
import { advanceProject, advanceProjects } from "../../src/use-cases/advance-project.ts";
import { deliverMessages } from "../../src/use-cases/deliver-message.ts";
import { countWhere, insertRow, oneWhere, updateWhere } from "../support/fixtures.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { type SeededTeam, seedTeams } from "../support/seed-teams.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestCore } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const retroOpen: Message = { fallback: "Retro open", blocks: [{ type: "paragraph", text: ["Retro open"] }] };

/** `count` web messages of one organisation with the same content, keyed `prefix:index`. */
const outboxItems = (organisationId: string, prefix: string, count: number) =>
  Array.from({ length: count }, (_, index) => ({
    key: `${prefix}:${index}`,
    organisationId,
    address: { platform: "web" as const, conversationRef: `web:dm:${prefix}-${index}` },
    message: retroOpen,
  }));

/**
 * The outbox table's row counts in this transaction. A pooled connection's counts not yet
 * flushed show here too, so tests compare two readings.
 */
async function outboxTableCounts(db: Db): Promise<{ read: number; updated: number; hot: number }> {
  const {
    rows: [stats],
  } = await sql<{ read: string; updated: string; hot: string }>`
    SELECT (coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0))::text AS read,
      n_tup_upd::text AS updated, n_tup_hot_upd::text AS hot
    FROM pg_stat_xact_user_tables WHERE relname = 'OutboxMessage'`.execute(db);
  return { read: Number(stats?.read ?? 0), updated: Number(stats?.updated ?? 0), hot: Number(stats?.hot ?? 0) };
}

const MINUTE = 60_000;

// Projects whose ticks come due together are advanced in one unit of work; what each
// project gets must be exactly what advancing it alone would give.
describe("advancing projects in a batch", () => {
  let database: TestDatabase;
  let core: ReturnType<typeof createTestCore>;
  let team: SeededTeam;
  const adapter = createRecordingAdapter("web");

  beforeAll(async () => {
    database = await createTestDatabase();
    core = createTestCore(database, [adapter]);
    team = await seedTeams(database.db, { projects: 6, members: 4, now: core.clock.now(), answerWindowMinutes: 60 });
  });

  afterAll(async () => {
    await core?.close();
    await database?.drop();
  });

  const promptsOf = async (projectId: string) => {
    const cycle = await database.db
      .selectFrom("RetroCycle")
      .selectAll()
      .where("projectId", "=", projectId)
      .orderBy("sequence", "desc")
      .limit(1)
      .executeTakeFirstOrThrow();
    const prompts = await database.db
      .selectFrom("OutboxMessage as m")
      .innerJoin("OutboxBody as b", "b.id", "m.bodyId")
      .select(["m.bodyId", "b.message"])
      .where("m.key", "like", `prompt:${cycle.id}:%`)
      .execute();
    return { cycle, prompts };
  };

  it("opens each project's cycle as advancing it alone would, and a second run changes nothing", async () => {
    const [a, b, c, ...alone] = team.projectIds;
    await advanceProjects(core.deps, [a, b, c] as string[]);
    for (const projectId of alone) await advanceProject(core.deps, projectId);
    const outboxBefore = await countWhere(database.db, "OutboxMessage");
    const texts = new Set<string>();
    for (const projectId of team.projectIds) {
      const { cycle, prompts } = await promptsOf(projectId);
      expect(cycle.sequence).toBe(1);
      expect(await countWhere(database.db, "Delivery", { cycleId: cycle.id })).toBe(4);
      expect(prompts).toHaveLength(4);
      // Stored once for the whole team.
      expect(new Set(prompts.map((prompt) => prompt.bodyId)).size).toBe(1);
      // The same prompt, apart from the project and cycle it belongs to.
      for (const prompt of prompts) {
        texts.add(
          JSON.stringify(prompt.message)
            .replaceAll(cycle.id, "<cycle>")
            .replaceAll(projectId, "<project>")
            .replaceAll(/Project \d/g, "<name>"),
        );
      }
    }
    expect(texts.size).toBe(1);
    await advanceProjects(core.deps, team.projectIds);
    expect(await countWhere(database.db, "OutboxMessage")).toBe(outboxBefore);
    expect(await countWhere(database.db, "RetroCycle")).toBe(6);
  });

  it("closes some projects' cycles and opens others' in the same batch", async () => {
    const [first] = team.projectIds as [string];
    const statuses = async () =>
      (
        await database.db.selectFrom("RetroCycle").selectAll().where("sequence", "=", 1).orderBy("projectId").execute()
      ).map((cycle) => [cycle.projectId, cycle.status]);
    // Everyone in the first project answered: its cycle closes early, the others stay open.
    core.clock.advance(10 * MINUTE);
    await database.db
      .updateTable("Delivery")
      .set({ answeredAt: core.clock.now() })
      .where("cycleId", "in", (eb) => eb.selectFrom("RetroCycle").select("id").where("projectId", "=", first))
      .execute();
    await advanceProjects(core.deps, team.projectIds);
    expect(await statuses()).toEqual(
      [...team.projectIds].sort().map((projectId) => [projectId, projectId === first ? "closed" : "open"]),
    );
    core.clock.advance(51 * MINUTE);
    await advanceProjects(core.deps, team.projectIds);
    expect((await statuses()).map(([, status]) => status)).toEqual(Array(6).fill("closed"));
    await eventually(() => adapter.sent.filter((sent) => sent.conversationRef.startsWith("web:channel:")).length >= 12);
    // The next cycles open in one batch with three sets of questions between them.
    const formats = ["four-ls", "four-ls", "after-action-review", "after-action-review"];
    for (const [index, retroFormat] of formats.entries()) {
      await updateWhere(database.db, "Project", { id: team.projectIds[index] }, { retroFormat });
    }
    core.clock.advance(600 * MINUTE);
    await advanceProjects(core.deps, team.projectIds);
    const opened = new Set<string>();
    for (const projectId of team.projectIds) {
      const { cycle, prompts } = await promptsOf(projectId);
      expect(cycle.sequence).toBe(2);
      expect(prompts).toHaveLength(4);
      opened.add(cycle.format);
      const questions = cycle.questions as CycleQuestions;
      for (const locale of ["nl", "en"] as const) {
        expect(questions[locale].map((question) => question.key)).toEqual(
          core.deps.prompts.retroFormat(cycle.format, locale).questions.map((question) => question.key),
        );
      }
    }
    expect(opened.size).toBe(3);
  });

  it("offers each project in the batch its own related lessons, never its own", async () => {
    const [source, x, y] = team.projectIds as [string, string, string];
    const organisation = await oneWhere(database.db, "Project", { id: source });
    await insertRow(database.db, "Lesson", {
      organisationId: organisation.organisationId,
      projectId: source,
      phase: "pilot",
      source: "manual",
      text: "Betrek bewoners vanaf de eerste schets bij het ontwerp.",
      themes: ["user-involvement"],
    });
    await updateWhere(database.db, "RetroCycle", {}, { status: "closed" });
    core.clock.advance(600 * MINUTE);
    await advanceProjects(core.deps, [source, x, y]);
    const shares = await database.db.selectFrom("LessonShare").select("projectId").execute();
    expect(shares.map((share) => share.projectId).sort()).toEqual([x, y].sort());
    const offers = await database.db
      .selectFrom("OutboxMessage")
      .select("conversationRef")
      .where("key", "like", "learn:%")
      .execute();
    expect(offers).toHaveLength(2);
    expect(offers.map((offer) => offer.conversationRef).sort()).toEqual(
      [`web:channel:${x}`, `web:channel:${y}`].sort(),
    );
  });
});

describe("delivering a batch of outbox messages", () => {
  let database: TestDatabase;
  let core: ReturnType<typeof createTestCore>;

  beforeAll(async () => {
    database = await createTestDatabase();
    core = createTestCore(database, []);
  });

  afterAll(async () => {
    await core?.close();
    await database?.drop();
  });

  it("sends each message once, keeps going past failures, and hands back what may be retried", async () => {
    const organisation = await insertRow(database.db, "Organisation", { name: "Gemeente Batch" });
    const message: Message = { fallback: "Hallo", blocks: [{ type: "paragraph", text: ["Hallo"] }] };
    const refs = ["web:dm:a", "web:dm:b", "web:dm:busy", "web:dm:gone"];
    const queued = await core.deps.stores.outbox.enqueue(
      refs.map((conversationRef) => ({
        key: `batch:${conversationRef}`,
        organisationId: organisation.id,
        address: { platform: "web", conversationRef },
        message,
      })),
    );
    const idOf = async (ref: string) => (await oneWhere(database.db, "OutboxMessage", { key: `batch:${ref}` })).id;
    const sends: string[] = [];
    let busy = true;
    const flaky: ChatAdapter = {
      ...createRecordingAdapter("web"),
      async send(conversationRef) {
        if (conversationRef === "web:dm:busy" && busy) throw new DeliveryError("HTTP 503", { retryable: true });
        if (conversationRef === "web:dm:gone") throw new DeliveryError("channel_not_found", { retryable: false });
        sends.push(conversationRef);
        return `ts-${conversationRef}`;
      },
    };
    const adapters = new Map([["web", flaky]]);
    const ids = queued.map((item) => item.id);

    const first = await deliverMessages(core.deps, adapters, ids);
    expect(first.retry).toBeInstanceOf(DeliveryError);
    expect(first.outcomes.get(await idOf("web:dm:a"))).toBe("sent");
    expect(first.outcomes.get(await idOf("web:dm:gone"))).toBe("failed");
    const rows = await database.db
      .selectFrom("OutboxMessage")
      .select(["conversationRef", "status", "sentRef"])
      .execute();
    expect(Object.fromEntries(rows.map((row) => [row.conversationRef, [row.status, row.sentRef]]))).toEqual({
      "web:dm:a": ["sent", "ts-web:dm:a"],
      "web:dm:b": ["sent", "ts-web:dm:b"],
      "web:dm:busy": ["pending", null],
      "web:dm:gone": ["failed", null],
    });

    // The queue retries the whole batch: only the handed-back message is sent again.
    busy = false;
    const second = await deliverMessages(core.deps, adapters, ids);
    expect(second.retry).toBeUndefined();
    expect(second.outcomes.get(await idOf("web:dm:busy"))).toBe("sent");
    expect(second.outcomes.get(await idOf("web:dm:a"))).toBe("skipped");
    expect(sends.sort()).toEqual(["web:dm:a", "web:dm:b", "web:dm:busy"]);
  });

  it("stores each distinct message once and sends every row its own", async () => {
    const organisation = await insertRow(database.db, "Organisation", { name: "Gemeente Inhoud" });
    const text = (fallback: string): Message => ({ fallback, blocks: [{ type: "paragraph", text: [fallback] }] });
    // The same content in two objects counts as one message.
    const plan = [
      ["web:dm:p", text("Retro open")],
      ["web:dm:q", text("Retro open")],
      ["web:dm:r", text("Retro open")],
      // Quotes, a backslash, braces and commas, a newline, a line separator and an emoji come back as sent.
      ["web:channel:s", text('Zeven "collega\'s" gevraagd \\ {a,b}\n\u2028 🎉')],
      ["web:channel:t", text('Zeven "collega\'s" gevraagd \\ {a,b}\n\u2028 🎉')],
    ] as const;
    const items = () =>
      plan.map(([conversationRef, message]) => ({
        key: `body:${conversationRef}`,
        organisationId: organisation.id,
        address: { platform: "web" as const, conversationRef },
        message,
      }));
    const queued = await core.deps.stores.outbox.enqueue(items());
    const rows = await database.db
      .selectFrom("OutboxMessage")
      .select("bodyId")
      .where("key", "like", "body:%")
      .execute();
    expect(new Set(rows.map((row) => row.bodyId)).size).toBe(2);
    // Queued again under the same keys: the waiting rows come back, and no body is stored for nothing.
    const bodies = await countWhere(database.db, "OutboxBody");
    const again = await core.deps.stores.outbox.enqueue(items());
    expect(again.map((item) => item.id).sort()).toEqual(queued.map((item) => item.id).sort());
    expect(await countWhere(database.db, "OutboxBody")).toBe(bodies);

    const adapter = createRecordingAdapter("web");
    const { outcomes } = await deliverMessages(
      core.deps,
      new Map([["web", adapter]]),
      queued.map((item) => item.id),
    );
    expect([...outcomes.values()]).toEqual(["sent", "sent", "sent", "sent", "sent"]);
    expect(Object.fromEntries(adapter.sent.map((sent) => [sent.conversationRef, sent.message]))).toEqual(
      Object.fromEntries(plan),
    );
  });

  it("lets two units of work queue the same message at once, neither waiting for the other", async () => {
    const organisation = await insertRow(database.db, "Organisation", { name: "Gemeente Gelijktijdig" });
    const message: Message = {
      fallback: "Dezelfde melding",
      blocks: [{ type: "paragraph", text: ["Dezelfde melding"] }],
    };
    const item = (conversationRef: string) => ({
      key: `same:${conversationRef}`,
      organisationId: organisation.id,
      address: { platform: "web" as const, conversationRef },
      message,
    });
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let queued: () => void = () => {};
    const firstQueued = new Promise<void>((resolve) => {
      queued = resolve;
    });
    const first = core.deps.unitOfWork("test:first", async (stores) => {
      await stores.outbox.enqueue([item("web:dm:first")]);
      queued();
      await held;
    });
    await firstQueued;
    // The first transaction is still open: a body shared with it would make this one wait.
    await core.deps.unitOfWork("test:second", (stores) => stores.outbox.enqueue([item("web:dm:second")]));
    release();
    await first;
    expect(
      await database.db.selectFrom("OutboxMessage").select("id").where("key", "like", "same:%").execute(),
    ).toHaveLength(2);
  });

  it("finds a batch's rows by id and key, not by reading every message still waiting", async () => {
    const organisation = await insertRow(database.db, "Organisation", { name: "Gemeente Wachtrij" });
    const items = (prefix: string, count: number) => outboxItems(organisation.id, prefix, count);
    // Statistics taken when nothing waited, then a fan-out's worth of waiting messages.
    await core.deps.stores.outbox.enqueue(items("earlier", 600));
    await database.db.updateTable("OutboxMessage").set({ status: "sent" }).where("key", "like", "earlier:%").execute();
    await sql`ANALYZE "OutboxMessage"`.execute(database.db);
    const waiting = await core.deps.stores.outbox.enqueue(items("waiting", 600));

    const rowsRead = await database.db.transaction().execute(async (trx) => {
      const outbox = createOutboxRepository(trx);
      const read = async () => (await outboxTableCounts(trx)).read;
      const before = await read();
      const claimed = await outbox.claim(
        waiting.slice(0, 5).map((item) => item.id),
        new Date(),
        30_000,
      );
      expect(claimed).toHaveLength(5);
      const afterClaim = await read();
      const requeued = await outbox.enqueue(items("waiting", 600).slice(100, 105));
      expect(requeued.map((item) => item.id)).toEqual(waiting.slice(100, 105).map((item) => item.id));
      return { claim: afterClaim - before, enqueue: (await read()) - afterClaim };
    });
    expect(rowsRead.claim).toBeLessThan(50);
    expect(rowsRead.enqueue).toBeLessThan(50);
  });

  it("claims a whole fan-out's messages in place, on the pages they were written to", async () => {
    const organisation = await insertRow(database.db, "Organisation", { name: "Gemeente Ruimte" });
    const hot = await database.db.transaction().execute(async (trx) => {
      const outbox = createOutboxRepository(trx);
      const queued = await outbox.enqueue(outboxItems(organisation.id, "room", 400));
      const before = await outboxTableCounts(trx);
      // One transaction: no claim's old version can be cleared away for the next, which
      // is the hardest case for fitting them on the page.
      for (let start = 0; start < queued.length; start += 100) {
        const batch = queued.slice(start, start + 100).map((item) => item.id);
        expect(await outbox.claim(batch, new Date(), 30_000)).toHaveLength(100);
      }
      const after = await outboxTableCounts(trx);
      return { updated: after.updated - before.updated, hot: after.hot - before.hot };
    });
    // A HOT update writes no index entry: the claims touch the table's pages only.
    expect(hot).toEqual({ updated: 400, hot: 400 });
  });
});
