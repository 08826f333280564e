import type { AuditStore } from "../ports/audit-store.ts";
import { type Db, json } from "./database.ts";

export function createAuditRepository(db: Db): AuditStore {
  return {
    async record(input) {
      await db
        .insertInto("AuditEvent")
        .values({
          organisationId: input.organisationId,
          actorId: input.actorId,
          kind: input.kind,
          subject: input.subject,
          data: json(input.data ?? {}),
        })
        .execute();
    },
  };
}
