import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { Platform } from "../domain/inbound-event.ts";
import type { Message } from "../domain/message.ts";
import type { OutboxStore, StoredOutboxMessage } from "../ports/outbox-store.ts";
import type { Db } from "./database.ts";
import { distinctJson, jsonArray } from "./distinct-json.ts";

type ClaimedRow = {
  id: string;
  key: string;
  organisationId: string;
  platform: string;
  conversationRef: string;
  bodyId: string;
  /** Only on the first row of each body: the rest share its message. */
  message: unknown;
  status: string;
  attempts: number;
  sentRef: string | null;
  notBefore: Date | null;
};

// Statements here that pick rows by id or key test their status in a CASE, which no index
// can serve. Statistics taken between fan-outs see almost no waiting rows, so the planner
// would otherwise read every waiting row of a fan-out through an index of waiting rows to
// find a batch's few (a claim of 100 read 4,500 rows in the bench). No index covers the
// status itself: claims then stay on their row's page (see the waiting-index migration).

type StoredRow = {
  id: string;
  key: string;
  platform: string;
  conversationRef: string;
  sentRef: string | null;
  message: unknown;
};

function toStored(row: StoredRow): StoredOutboxMessage {
  return {
    id: row.id,
    key: row.key,
    address: { platform: row.platform as Platform, conversationRef: row.conversationRef },
    sentRef: row.sentRef,
    message: (typeof row.message === "string" ? JSON.parse(row.message) : row.message) as Message,
  };
}

/** Every statement is SQL of its own: the outbox is on every message's path, a batch a statement. */
export function createOutboxRepository(db: Db): OutboxStore {
  return {
    async enqueue(items) {
      if (items.length === 0) return [];
      // A fan-out's messages repeat (one prompt per language for a whole team): each distinct
      // message is stored once, and rows pick theirs by index. Bodies are not shared between
      // calls: two transactions inserting the same body would wait on each other.
      const { texts: bodies, indexes: bodyIndex } = distinctJson(items.map((item) => item.message));
      const bodyIds = bodies.map(() => randomUUID());
      // One statement for any number of messages. The insert's own rows and those already
      // waiting under the same keys are both returned (one snapshot: the second half cannot
      // see the first half's rows); only keys the insert skipped are looked up, one by one
      // through the key's index (LIMIT 1 keeps the planner from scanning the whole outbox
      // for them). Only bodies of inserted rows are stored; the foreign keys to them are
      // checked at the statement's end.
      const rows = (
        await sql<{ id: string; platform: string; notBefore: Date | null }>`
        WITH input AS (
          SELECT * FROM unnest(
            ${items.map(() => randomUUID())}::text[], ${items.map((item) => item.key)}::text[],
            ${items.map((item) => item.organisationId)}::text[], ${items.map((item) => item.address.platform)}::text[],
            ${items.map((item) => item.address.conversationRef)}::text[], ${bodyIndex}::int[],
            ${items.map((item) => item.notBefore?.toISOString() ?? null)}::text[]
          ) AS i(id, key, org, platform, ref, body, not_before)),
        inserted AS (
          INSERT INTO "OutboxMessage" (id, key, "organisationId", platform, "conversationRef", "bodyId", "notBefore")
          SELECT id, key, org, platform, ref, (${bodyIds}::text[])[body + 1], not_before::timestamp(3)
          FROM input
          ON CONFLICT (key) DO NOTHING
          RETURNING id, key, platform, "notBefore", "bodyId"),
        body AS (
          INSERT INTO "OutboxBody" (id, message)
          SELECT b.id, e.message FROM unnest(${bodyIds}::text[]) WITH ORDINALITY AS b(id, n)
          JOIN json_array_elements(${jsonArray(bodies)}::json) WITH ORDINALITY AS e(message, n) ON e.n = b.n
          WHERE b.id IN (SELECT "bodyId" FROM inserted))
        SELECT id, platform, "notBefore" FROM inserted
        UNION ALL
        SELECT o.id, o.platform, o."notBefore"
        FROM input CROSS JOIN LATERAL (
          SELECT id, platform, "notBefore", status FROM "OutboxMessage" WHERE key = input.key LIMIT 1) AS o
        WHERE input.key NOT IN (SELECT key FROM inserted)
          AND CASE o.status WHEN 'pending' THEN true WHEN 'sending' THEN true ELSE false END`.execute(db)
      ).rows;
      return rows.map((row) => ({ id: row.id, platform: row.platform as Platform, notBefore: row.notBefore }));
    },

    // A lease rather than a lock: a worker that dies mid-send lets another retry after it expires.
    async claim(ids, now, leaseMs) {
      if (ids.length === 0) return [];
      // One round trip for the whole batch: claiming is on every delivery's path.
      const until = new Date(now.getTime() + leaseMs);
      // Each body is read once, however many of the batch's rows send it. In the batch's order:
      // messages to one conversation go out in the order they were queued.
      const rows = (
        await sql<ClaimedRow>`
        WITH claimed AS (
          UPDATE "OutboxMessage" o
          SET status = 'sending', "claimedUntil" = ${until}, attempts = attempts + 1
          FROM unnest(${ids}::text[]) WITH ORDINALITY AS batch(id, position)
          WHERE o.id = batch.id
            AND CASE o.status WHEN 'pending' THEN true WHEN 'sending' THEN o."claimedUntil" < ${now} ELSE false END
          RETURNING o.id, o.key, o."organisationId", o.platform, o."conversationRef", o."bodyId", o.status, o.attempts,
            o."sentRef", o."notBefore", batch.position)
        SELECT c.*, CASE WHEN row_number() OVER (PARTITION BY c."bodyId") = 1 THEN b.message END AS message
        FROM claimed c JOIN "OutboxBody" b ON b.id = c."bodyId"
        ORDER BY c.position`.execute(db)
      ).rows;
      const messages = new Map<string, Message>();
      for (const row of rows) if (row.message !== null) messages.set(row.bodyId, row.message as Message);
      return rows.map((row) => ({
        id: row.id,
        key: row.key,
        organisationId: row.organisationId,
        address: { platform: row.platform as Platform, conversationRef: row.conversationRef },
        message: messages.get(row.bodyId) as Message,
        status: row.status,
        attempts: row.attempts,
        sentRef: row.sentRef,
        ...(row.notBefore ? { notBefore: row.notBefore } : {}),
      }));
    },

    async unclaim(ids) {
      await sql`
        UPDATE "OutboxMessage" SET status = 'pending', "claimedUntil" = NULL, attempts = attempts - 1
        WHERE id = ANY(${ids}::text[]) AND status = 'sending'`.execute(db);
    },

    async heldUntil(ids) {
      if (ids.length === 0) return new Map();
      const rows = (
        await sql<{ id: string; claimedUntil: Date }>`
        SELECT id, "claimedUntil" FROM "OutboxMessage"
        WHERE id = ANY(${ids}::text[]) AND status = 'sending' AND "claimedUntil" IS NOT NULL`.execute(db)
      ).rows;
      return new Map(rows.map((row) => [row.id, row.claimedUntil]));
    },

    async extendLease(ids, until) {
      if (ids.length === 0) return;
      await sql`
        UPDATE "OutboxMessage" SET "claimedUntil" = ${until}
        WHERE id = ANY(${ids}::text[]) AND status = 'sending'`.execute(db);
    },

    async markSent(sent, at) {
      await sql`
        UPDATE "OutboxMessage" o
        SET status = 'sent', "sentRef" = s.ref, "sentAt" = ${at}, "claimedUntil" = NULL, "lastError" = NULL
        FROM unnest(${sent.map((item) => item.id)}::text[], ${sent.map((item) => item.sentRef)}::text[]) AS s(id, ref)
        WHERE o.id = s.id`.execute(db);
    },

    async stored(ids) {
      if (ids.length === 0) return [];
      const { rows } = await sql<StoredRow>`
        SELECT o.id, o.key, o.platform, o."conversationRef", o."sentRef", b.message
        FROM "OutboxMessage" o JOIN "OutboxBody" b ON b.id = o."bodyId"
        WHERE o.id = ANY(${[...ids]}::text[])`.execute(db);
      return rows.map(toStored);
    },

    async withKeyPrefixes(organisationId, prefixes) {
      if (prefixes.length === 0) return [];
      // Each prefix as a range of the key's unique index (chr(1114111) sorts after every key
      // character); the prefix test in code keeps the result right under any collation.
      const { rows } = await sql<StoredRow>`
        SELECT o.id, o.key, o.platform, o."conversationRef", o."sentRef", b.message
        FROM unnest(${[...prefixes]}::text[]) AS p(prefix)
        JOIN "OutboxMessage" o ON o.key >= p.prefix AND o.key < p.prefix || chr(1114111)
        JOIN "OutboxBody" b ON b.id = o."bodyId"
        WHERE o."organisationId" = ${organisationId} AND o.status <> 'failed'
        ORDER BY o."createdAt", o.id`.execute(db);
      return rows.filter((row) => prefixes.some((prefix) => row.key.startsWith(prefix))).map(toStored);
    },

    async revise(id, message) {
      // A content of its own: the old one may be shared with other recipients of a fan-out.
      // It goes when no other message uses it (the statement still sees this row on it; the
      // foreign key is checked at its end, when the row has moved).
      await sql`
        WITH old AS (SELECT "bodyId" AS id FROM "OutboxMessage" WHERE id = ${id}),
        body AS (
          INSERT INTO "OutboxBody" (id, message) VALUES (${randomUUID()}, ${JSON.stringify(message)}::json) RETURNING id),
        moved AS (UPDATE "OutboxMessage" SET "bodyId" = (SELECT id FROM body) WHERE id = ${id} RETURNING id)
        DELETE FROM "OutboxBody" b USING old
        WHERE b.id = old.id AND EXISTS (SELECT 1 FROM moved)
          AND NOT EXISTS (SELECT 1 FROM "OutboxMessage" o WHERE o."bodyId" = b.id AND o.id <> ${id})`.execute(db);
    },

    async release(id, error) {
      await sql`
        UPDATE "OutboxMessage" SET status = 'pending', "claimedUntil" = NULL, "lastError" = ${error.slice(0, 500)}
        WHERE id = ${id}`.execute(db);
    },

    async markFailed(id, error) {
      await sql`
        UPDATE "OutboxMessage" SET status = 'failed', "claimedUntil" = NULL, "lastError" = ${error.slice(0, 500)}
        WHERE id = ${id}`.execute(db);
    },

    async prune(organisationId, before, limit) {
      // One statement sees the outbox as it was before it: a content is kept when a message
      // outside this batch still uses it. The foreign key's check runs after the deletes.
      // Old contents nothing uses go too: an erasure running alongside may have left one.
      // Only the contents are found through an index (their foreign key needs it); the nightly
      // scan for old messages has none: one more would cost every message on its way out.
      const [row] = (
        await sql<{ deleted: number }>`
        WITH doomed AS (
          SELECT id, "bodyId" FROM "OutboxMessage"
          WHERE "organisationId" = ${organisationId}
            AND ("sentAt" < ${before} OR (status = 'failed' AND "createdAt" < ${before}))
          LIMIT ${limit}),
        deleted AS (
          DELETE FROM "OutboxMessage" o USING doomed WHERE o.id = doomed.id RETURNING o.id),
        bodies AS (
          DELETE FROM "OutboxBody" b
          WHERE (b.id IN (SELECT "bodyId" FROM doomed) OR b."createdAt" < ${before})
            AND NOT EXISTS (
              SELECT 1 FROM "OutboxMessage" m WHERE m."bodyId" = b.id AND m.id NOT IN (SELECT id FROM doomed)))
        SELECT count(*)::int AS deleted FROM deleted`.execute(db)
      ).rows;
      return row?.deleted ?? 0;
    },

    async pending(limit) {
      // A stable order: each reconcile forms the same batches, which BullMQ then dedupes by job id.
      const rows = (
        await sql<{ id: string; platform: string; notBefore: Date | null }>`
        SELECT id, platform, "notBefore" FROM "OutboxMessage"
        WHERE "sentAt" IS NULL AND status IN ('pending', 'sending')
        ORDER BY "createdAt", id LIMIT ${limit}`.execute(db)
      ).rows;
      return rows.map((row) => ({ id: row.id, platform: row.platform as Platform, notBefore: row.notBefore }));
    },
  };
}
