import type { FormKind } from "../domain/record-status.ts";
import type { FormStore } from "../ports/form-store.ts";
import type { DbClient } from "./client-types.ts";
import type { Prisma } from "./generated/client.ts";

export function createFormRepository(db: DbClient): FormStore {
  return {
    async put(instance, at) {
      const created = await db.formInstance.createMany({
        data: [{ ...instance, data: instance.data as Prisma.InputJsonObject, createdAt: at, updatedAt: at }],
        skipDuplicates: true,
      });
      return created.count === 1;
    },

    async get(id) {
      const row = await db.formInstance.findUnique({ where: { id } });
      return row ? { ...row, kind: row.kind as FormKind, data: (row.data ?? {}) as Record<string, unknown> } : null;
    },

    async update(id, data, at) {
      const result = await db.formInstance.updateMany({
        where: { id },
        data: { data: data as Prisma.InputJsonObject, updatedAt: at },
      });
      return result.count === 1;
    },

    async remove(id) {
      await db.formInstance.deleteMany({ where: { id } });
    },

    async openRetrosOf(personId, now) {
      const rows = await db.delivery.findMany({
        where: { personId, cycle: { status: "open", closesAt: { gt: now } } },
        select: {
          id: true,
          cycle: {
            select: {
              id: true,
              opensAt: true,
              closesAt: true,
              project: { select: { id: true, name: true, anonymous: true } },
            },
          },
        },
        orderBy: { cycle: { opensAt: "desc" } },
      });
      return rows.map((row) => ({
        cycleId: row.cycle.id,
        deliveryId: row.id,
        projectId: row.cycle.project.id,
        projectName: row.cycle.project.name,
        anonymous: row.cycle.project.anonymous,
        opensAt: row.cycle.opensAt,
        closesAt: row.cycle.closesAt,
      }));
    },

    async snoozedIn(cycleId) {
      const rows = await db.formInstance.findMany({
        where: { kind: "asking", subject: cycleId, data: { path: ["snoozed"], equals: true } },
        select: { ownerKey: true },
      });
      return rows.map((row) => row.ownerKey);
    },

    async prune(before) {
      await db.formInstance.deleteMany({ where: { createdAt: { lt: before } } });
    },
  };
}
