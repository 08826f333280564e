import { randomUUID } from "node:crypto";
import type { Platform } from "../domain/inbound-event.ts";
import type { Message } from "../domain/message.ts";
import type { OutboxStore } from "../ports/store.ts";
import type { DriverSql } from "./driver-sql.ts";

type ClaimedRow = {
  id: string;
  key: string;
  organisationId: string;
  platform: string;
  conversationRef: string;
  message: unknown;
  status: string;
  attempts: number;
  sentRef: string | null;
  notBefore: Date | null;
};

/** Every statement on the driver: the outbox is on every message's path (see driver-sql.ts). */
export function createOutboxRepository(sql: DriverSql): OutboxStore {
  return {
    async enqueue(items) {
      if (items.length === 0) return [];
      // A fan-out's messages repeat (one prompt per language for a whole team): each distinct
      // message crosses the wire once, in one JSON array, and rows pick theirs by index.
      const distinct = new Map<string, number>();
      const seen = new Map<object, number>();
      const messageIndex = items.map((item) => {
        let index = seen.get(item.message);
        if (index !== undefined) return index;
        const json = JSON.stringify(item.message);
        index = distinct.get(json) ?? distinct.size;
        distinct.set(json, index);
        seen.set(item.message, index);
        return index;
      });
      // One statement for any number of messages. The insert's own rows and those already
      // waiting under the same keys are both returned (one snapshot: the second half cannot
      // see the first half's rows).
      const rows = await sql<{ id: string; platform: string; notBefore: Date | null }>`
        WITH input AS (
          SELECT * FROM unnest(
            ${items.map(() => randomUUID())}::text[], ${items.map((item) => item.key)}::text[],
            ${items.map((item) => item.organisationId)}::text[], ${items.map((item) => item.address.platform)}::text[],
            ${items.map((item) => item.address.conversationRef)}::text[], ${messageIndex}::int[],
            ${items.map((item) => item.notBefore?.toISOString() ?? null)}::text[]
          ) AS i(id, key, org, platform, ref, message, not_before)),
        inserted AS (
          INSERT INTO "OutboxMessage" (id, key, "organisationId", platform, "conversationRef", message, "notBefore")
          SELECT id, key, org, platform, ref, (${`[${[...distinct.keys()].join(",")}]`}::jsonb) -> message,
            not_before::timestamp(3)
          FROM input
          ON CONFLICT (key) DO NOTHING
          RETURNING id, platform, "notBefore")
        SELECT id, platform, "notBefore" FROM inserted
        UNION ALL
        SELECT o.id, o.platform, o."notBefore" FROM "OutboxMessage" o JOIN input ON input.key = o.key
        WHERE o.status IN ('pending', 'sending')`;
      return rows.map((row) => ({ id: row.id, platform: row.platform as Platform, notBefore: row.notBefore }));
    },

    // A lease rather than a lock: a worker that dies mid-send lets another retry after it expires.
    async claim(ids, now, leaseMs) {
      if (ids.length === 0) return [];
      // One round trip for the whole batch: claiming is on every delivery's path.
      const until = new Date(now.getTime() + leaseMs);
      const rows = await sql<ClaimedRow>`
        UPDATE "OutboxMessage"
        SET status = 'sending', "claimedUntil" = ${until}, attempts = attempts + 1
        WHERE id = ANY(${ids}::text[]) AND (status = 'pending' OR (status = 'sending' AND "claimedUntil" < ${now}))
        RETURNING id, key, "organisationId", platform, "conversationRef", message, status, attempts, "sentRef", "notBefore"`;
      return rows.map((row) => ({
        id: row.id,
        key: row.key,
        organisationId: row.organisationId,
        address: { platform: row.platform as Platform, conversationRef: row.conversationRef },
        message: row.message as Message,
        status: row.status,
        attempts: row.attempts,
        sentRef: row.sentRef,
        ...(row.notBefore ? { notBefore: row.notBefore } : {}),
      }));
    },

    async unclaim(ids) {
      await sql`
        UPDATE "OutboxMessage" SET status = 'pending', "claimedUntil" = NULL, attempts = attempts - 1
        WHERE id = ANY(${ids}::text[]) AND status = 'sending'`;
    },

    async extendLease(ids, until) {
      if (ids.length === 0) return;
      await sql`
        UPDATE "OutboxMessage" SET "claimedUntil" = ${until}
        WHERE id = ANY(${ids}::text[]) AND status = 'sending'`;
    },

    async markSent(sent, at) {
      await sql`
        UPDATE "OutboxMessage" o
        SET status = 'sent', "sentRef" = s.ref, "sentAt" = ${at}, "claimedUntil" = NULL, "lastError" = NULL
        FROM unnest(${sent.map((item) => item.id)}::text[], ${sent.map((item) => item.sentRef)}::text[]) AS s(id, ref)
        WHERE o.id = s.id`;
    },

    async release(id, error) {
      await sql`
        UPDATE "OutboxMessage" SET status = 'pending', "claimedUntil" = NULL, "lastError" = ${error.slice(0, 500)}
        WHERE id = ${id}`;
    },

    async markFailed(id, error) {
      await sql`
        UPDATE "OutboxMessage" SET status = 'failed', "claimedUntil" = NULL, "lastError" = ${error.slice(0, 500)}
        WHERE id = ${id}`;
    },

    async pending(limit) {
      // A stable order: each reconcile forms the same batches, which BullMQ then dedupes by job id.
      const rows = await sql<{ id: string; platform: string; notBefore: Date | null }>`
        SELECT id, platform, "notBefore" FROM "OutboxMessage" WHERE status IN ('pending', 'sending')
        ORDER BY "createdAt", id LIMIT ${limit}`;
      return rows.map((row) => ({ id: row.id, platform: row.platform as Platform, notBefore: row.notBefore }));
    },
  };
}
