import type { DigestStore } from "../ports/store.ts";
import type { DbClient } from "./client-types.ts";

export function createDigestRepository(db: DbClient): DigestStore {
  return {
    async lastPeriodEnd(organisationId, audience) {
      const row = await db.digest.findFirst({ where: { organisationId, audience }, orderBy: { periodEnd: "desc" } });
      return row?.periodEnd ?? null;
    },
    async create(input) {
      const created = await db.digest.createMany({ data: [input], skipDuplicates: true });
      if (created.count === 0) return null;
      const row = await db.digest.findUnique({
        where: {
          organisationId_audience_periodStart: {
            organisationId: input.organisationId,
            audience: input.audience,
            periodStart: input.periodStart,
          },
        },
      });
      return row?.id ?? null;
    },
    // Participation of cycles that closed in the period: invited and answered per project.
    async participation(organisationId, from, to) {
      const cycles = await db.retroCycle.findMany({
        where: { project: { organisationId }, status: "closed", closedAt: { gte: from, lt: to } },
        include: { project: { select: { name: true } }, deliveries: { select: { answeredAt: true, personId: true } } },
      });
      const byProject = new Map<
        string,
        { projectName: string; people: Set<string>; invited: number; answered: number }
      >();
      for (const cycle of cycles) {
        const entry = byProject.get(cycle.projectId) ?? {
          projectName: cycle.project.name,
          people: new Set<string>(),
          invited: 0,
          answered: 0,
        };
        for (const delivery of cycle.deliveries) entry.people.add(delivery.personId);
        entry.invited += cycle.deliveries.length;
        entry.answered += cycle.deliveries.filter((delivery) => delivery.answeredAt).length;
        byProject.set(cycle.projectId, entry);
      }
      return [...byProject.values()]
        .map((entry) => ({ ...entry, people: entry.people.size }))
        .sort((a, b) => a.projectName.localeCompare(b.projectName));
    },
  };
}
