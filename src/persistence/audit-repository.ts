import type { AuditStore } from "../ports/store.ts";
import type { DbClient } from "./client-types.ts";

export function createAuditRepository(db: DbClient): AuditStore {
  return {
    async record(input) {
      await db.auditEvent.create({
        data: {
          organisationId: input.organisationId,
          actorId: input.actorId,
          kind: input.kind,
          subject: input.subject,
          data: (input.data ?? {}) as object,
        },
      });
    },
  };
}
