import type { Selectable } from "kysely";
import type { Message } from "../domain/message.ts";
import type { StoredWebMessage, WebMessageStore } from "../ports/web-message-store.ts";
import { type Db, json } from "./database.ts";
import type { WebMessage } from "./database-types.ts";

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
      const values = { conversationRef, visibleTo: visibleTo ?? null, message: json(message) };
      if (!id)
        return toStored(await db.insertInto("WebMessage").values(values).returningAll().executeTakeFirstOrThrow());
      // The same id again (a retried send) keeps the message first stored under it.
      await db
        .insertInto("WebMessage")
        .values({ id, ...values })
        .onConflict((conflict) => conflict.column("id").doNothing())
        .execute();
      return toStored(await db.selectFrom("WebMessage").selectAll().where("id", "=", id).executeTakeFirstOrThrow());
    },

    async replace(id, message) {
      const row = await db
        .updateTable("WebMessage")
        .set({ message: json(message), updatedAt: new Date() })
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirst();
      return row ? toStored(row) : null;
    },

    async list(conversationRefs, viewerId, options = {}) {
      if (conversationRefs.length === 0) return [];
      const limit = Math.min(Math.max(Math.trunc(options.limit ?? DEFAULT_LIMIT), 1), MAX_LIMIT);
      let query = db
        .selectFrom("WebMessage")
        .selectAll()
        .where("conversationRef", "in", conversationRefs)
        .where((eb) => eb.or([eb("visibleTo", "is", null), eb("visibleTo", "=", viewerId)]));
      if (options.afterSeq !== undefined) query = query.where("seq", ">", parseSeq(options.afterSeq));
      // Newest first so the limit keeps the most recent ones; reversed below.
      const rows = await query.orderBy("seq", "desc").limit(limit).execute();
      return rows.reverse().map(toStored);
    },
  };
}

function parseSeq(seq: string): string {
  if (!/^\d{1,19}$/.test(seq)) throw new WebMessageStoreError("WEB_SEQ_INVALID", "afterSeq must be a decimal integer");
  return seq;
}

function toStored(row: Selectable<WebMessage>): StoredWebMessage {
  return {
    seq: row.seq,
    id: row.id,
    conversationRef: row.conversationRef,
    visibleTo: row.visibleTo,
    // Only this repository writes the column, always from a Message.
    message: row.message as unknown as Message,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
