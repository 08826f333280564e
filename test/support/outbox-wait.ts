import type { Db } from "../../src/persistence/database.ts";
import { eventually } from "./test-clock.ts";

/** Waits until the outbox holds `count` messages and every one of them is sent; returns them. */
export function allSent(db: Db, count: number, timeoutMs = 60_000) {
  return eventually(async () => {
    const rows = await db.selectFrom("OutboxMessage").selectAll().execute();
    return rows.length === count && rows.every((row) => row.status === "sent") && rows;
  }, timeoutMs);
}
