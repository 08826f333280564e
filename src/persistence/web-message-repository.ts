import type { Message } from "../domain/message.ts";
import type { StoredWebMessage, WebMessageStore } from "../ports/web-message-store.ts";
import type { Prisma, WebMessage } from "./generated/client.ts";
import type { Db } from "./prisma-client.ts";

const DEFAULT_LIMIT = 200;
const MAX_LIMIT = 1000;

export class WebMessageStoreError extends Error {
  readonly code: "WEB_SEQ_INVALID";
  constructor(code: "WEB_SEQ_INVALID", message: string) {
    super(message);
    this.name = "WebMessageStoreError";
    this.code = code;
  }
}

export function createWebMessageRepository(db: Db): WebMessageStore {
  return {
    async append(conversationRef, message, visibleTo, id) {
      const data = { conversationRef, visibleTo: visibleTo ?? null, message: toJson(message) };
      const row = id
        ? await db.webMessage.upsert({ where: { id }, create: { id, ...data }, update: {} })
        : await db.webMessage.create({ data });
      return toStored(row);
    },

    async replace(id, message) {
      try {
        const row = await db.webMessage.update({ where: { id }, data: { message: toJson(message) } });
        return toStored(row);
      } catch (error) {
        // P2025: no row matched, which the port reports as null rather than an error.
        if (isPrismaCode(error, "P2025")) return null;
        throw error;
      }
    },

    async list(conversationRefs, viewerId, options = {}) {
      if (conversationRefs.length === 0) return [];
      const limit = Math.min(Math.max(Math.trunc(options.limit ?? DEFAULT_LIMIT), 1), MAX_LIMIT);
      const rows = await db.webMessage.findMany({
        where: {
          conversationRef: { in: conversationRefs },
          OR: [{ visibleTo: null }, { visibleTo: viewerId }],
          ...(options.afterSeq === undefined ? {} : { seq: { gt: parseSeq(options.afterSeq) } }),
        },
        // Newest first so `take` keeps the most recent ones; reversed below.
        orderBy: { seq: "desc" },
        take: limit,
      });
      return rows.reverse().map(toStored);
    },
  };
}

function parseSeq(seq: string): bigint {
  if (!/^\d{1,19}$/.test(seq)) throw new WebMessageStoreError("WEB_SEQ_INVALID", "afterSeq must be a decimal integer");
  return BigInt(seq);
}

function toJson(message: Message): Prisma.InputJsonValue {
  return message as unknown as Prisma.InputJsonValue;
}

function toStored(row: WebMessage): StoredWebMessage {
  return {
    seq: row.seq.toString(),
    id: row.id,
    conversationRef: row.conversationRef,
    visibleTo: row.visibleTo,
    // Only this repository writes the column, always from a Message.
    message: row.message as unknown as Message,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function isPrismaCode(error: unknown, code: string): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === code;
}
