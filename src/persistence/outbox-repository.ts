import type { Platform } from "../domain/inbound-event.ts";
import type { Message } from "../domain/message.ts";
import type { OutboxStore } from "../ports/store.ts";
import type { DbClient } from "./client-types.ts";

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

export function createOutboxRepository(db: DbClient): OutboxStore {
  return {
    async enqueue(items) {
      if (items.length === 0) return [];
      await db.outboxMessage.createMany({
        data: items.map((item) => ({
          key: item.key,
          organisationId: item.organisationId,
          platform: item.address.platform,
          conversationRef: item.address.conversationRef,
          message: item.message as object,
          notBefore: item.notBefore ?? null,
        })),
        skipDuplicates: true,
      });
      const rows = await db.outboxMessage.findMany({
        where: { key: { in: items.map((item) => item.key) }, status: { in: ["pending", "sending"] } },
        select: { id: true, platform: true, notBefore: true },
      });
      return rows.map((row) => ({ id: row.id, platform: row.platform as Platform, notBefore: row.notBefore }));
    },

    // A lease rather than a lock: a worker that dies mid-send lets another retry after it expires.
    async claim(id, now, leaseMs) {
      // One round trip: claiming is on every delivery's path.
      const until = new Date(now.getTime() + leaseMs);
      const [row] = await db.$queryRaw<ClaimedRow[]>`
        UPDATE "OutboxMessage"
        SET status = 'sending', "claimedUntil" = ${until}, attempts = attempts + 1
        WHERE id = ${id} AND (status = 'pending' OR (status = 'sending' AND "claimedUntil" < ${now}))
        RETURNING id, key, "organisationId", platform, "conversationRef", message, status, attempts, "sentRef", "notBefore"`;
      if (!row) return null;
      return {
        id: row.id,
        key: row.key,
        organisationId: row.organisationId,
        address: { platform: row.platform as Platform, conversationRef: row.conversationRef },
        message: row.message as unknown as Message,
        status: row.status,
        attempts: row.attempts,
        sentRef: row.sentRef,
        ...(row.notBefore ? { notBefore: row.notBefore } : {}),
      };
    },

    async unclaim(id) {
      await db.outboxMessage.updateMany({
        where: { id, status: "sending" },
        data: { status: "pending", claimedUntil: null, attempts: { decrement: 1 } },
      });
    },

    async extendLease(id, until) {
      await db.outboxMessage.updateMany({ where: { id, status: "sending" }, data: { claimedUntil: until } });
    },

    async markSent(id, sentRef, at) {
      await db.outboxMessage.update({
        where: { id },
        data: { status: "sent", sentRef, sentAt: at, claimedUntil: null, lastError: null },
      });
    },

    async release(id, error) {
      await db.outboxMessage.update({
        where: { id },
        data: { status: "pending", claimedUntil: null, lastError: error.slice(0, 500) },
      });
    },

    async markFailed(id, error) {
      await db.outboxMessage.update({
        where: { id },
        data: { status: "failed", claimedUntil: null, lastError: error.slice(0, 500) },
      });
    },

    async pending(limit) {
      const rows = await db.outboxMessage.findMany({
        where: { status: { in: ["pending", "sending"] } },
        select: { id: true, platform: true, notBefore: true },
        orderBy: { createdAt: "asc" },
        take: limit,
      });
      return rows.map((row) => ({ id: row.id, platform: row.platform as Platform, notBefore: row.notBefore }));
    },
  };
}
