// Advisers' marks on suggested interventions and the organisation's own interventions, on
// PostgreSQL. Form keys are unique in the database, so a replayed form is refused by it.

import type { InterventionKind } from "../domain/intervention.ts";
import type { GivenFacts, InterventionMark, WindowFacts } from "../domain/intervention-loop.ts";
import type { InterventionStatus } from "../domain/record-status.ts";
import type { InterventionStore } from "../ports/intervention-store.ts";
import type { DbClient } from "./client-types.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
const isoDay = (date: Date | null) => (date ? date.toISOString().slice(0, 10) : null);
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

export function createInterventionRepository(db: DbClient): InterventionStore {
  /** Counts for the projects (all of the organisation's when none are named) in [from, to). */
  async function windowFacts(
    organisationId: string,
    projectIds: string[],
    themeId: string,
    from: Date,
    to: Date,
  ): Promise<WindowFacts> {
    const [row] = await db.$queryRaw<{ people: number; responses: number; average: number | null; lessons: number }[]>`
      WITH p AS (
        SELECT id FROM "Project"
        WHERE "organisationId" = ${organisationId}
          AND (cardinality(${projectIds}::text[]) = 0 OR id = ANY(${projectIds}::text[])))
      SELECT
        (SELECT count(DISTINCT d."personId") FROM "Delivery" d JOIN "RetroCycle" c ON c.id = d."cycleId"
          WHERE c."projectId" IN (SELECT id FROM p) AND d."answeredAt" >= ${from} AND d."answeredAt" < ${to})::int AS people,
        (SELECT count(*) FROM "Answer" a JOIN "RetroCycle" c ON c.id = a."cycleId"
          WHERE c."projectId" IN (SELECT id FROM p) AND a."questionKey" = 'learning-score' AND a.score IS NOT NULL
            AND a."createdAt" >= ${from} AND a."createdAt" < ${to})::int AS responses,
        (SELECT avg(a.score)::float8 FROM "Answer" a JOIN "RetroCycle" c ON c.id = a."cycleId"
          WHERE c."projectId" IN (SELECT id FROM p) AND a."questionKey" = 'learning-score' AND a.score IS NOT NULL
            AND a."createdAt" >= ${from} AND a."createdAt" < ${to}) AS average,
        (SELECT count(*) FROM "Lesson" l
          WHERE l."projectId" IN (SELECT id FROM p) AND l.status = 'confirmed' AND ${themeId} = ANY(l.themes)
            AND l."createdAt" >= ${from} AND l."createdAt" < ${to})::int AS lessons`;
    return {
      people: Number(row?.people ?? 0),
      responses: Number(row?.responses ?? 0),
      average: row?.average ?? null,
      themeLessons: Number(row?.lessons ?? 0),
    };
  }

  const repository: InterventionStore = {
    async marks(organisationId) {
      const rows = await db.interventionMark.findMany({
        where: { organisationId },
        orderBy: { createdAt: "desc" },
        take: 500,
      });
      return rows.map(
        (row): InterventionMark => ({
          id: row.id,
          interventionId: row.interventionId,
          themeId: row.themeId,
          status: row.status as InterventionStatus,
          plannedFor: isoDay(row.plannedFor),
          givenOn: isoDay(row.givenOn),
          projectIds: row.projectIds,
          digestId: row.digestId,
          periodStart: row.periodStart,
          periodEnd: row.periodEnd,
        }),
      );
    },

    async mark(input) {
      const created = await db.interventionMark.createMany({
        data: [
          {
            ...input,
            plannedFor: input.plannedFor ? day(input.plannedFor) : null,
            givenOn: input.givenOn ? day(input.givenOn) : null,
          },
        ],
        skipDuplicates: true,
      });
      return created.count === 1;
    },

    async markGiven({ organisationId, markId, givenOn, formKey }) {
      const updated = await db.interventionMark.updateMany({
        where: { id: markId, organisationId, status: "planned" },
        data: { status: "given", givenOn: day(givenOn), givenKey: formKey },
      });
      if (updated.count === 1) return "given";
      const mark = await db.interventionMark.findFirst({ where: { id: markId, organisationId } });
      return mark?.givenKey === formKey ? "already" : "not-planned";
    },

    async custom(organisationId) {
      const rows = await db.customIntervention.findMany({ where: { organisationId }, orderBy: { createdAt: "asc" } });
      return rows.map((row) => ({
        id: row.id,
        theme: row.themeId,
        kind: row.kind as InterventionKind,
        title: row.title,
        description: row.description,
      }));
    },

    async addCustom(input) {
      const created = await db.customIntervention.createMany({
        data: [
          {
            organisationId: input.organisationId,
            themeId: input.theme,
            kind: input.kind,
            title: input.title,
            description: input.description,
            formKey: input.formKey,
          },
        ],
        skipDuplicates: true,
      });
      return created.count === 1;
    },

    async givenFacts({ organisationId, since, until }) {
      const given = await db.interventionMark.findMany({
        where: { organisationId, status: "given", givenOn: { gte: since, lt: until } },
        orderBy: { givenOn: "asc" },
      });
      const facts: GivenFacts[] = [];
      for (const mark of given) {
        const givenOn = mark.givenOn as Date;
        const length = Math.max(until.getTime() - givenOn.getTime(), DAY_MS);
        const names = await repository.projectNames(organisationId, mark.projectIds);
        facts.push({
          interventionId: mark.interventionId,
          themeId: mark.themeId,
          givenOn: isoDay(givenOn) as string,
          projects: mark.projectIds.filter((id) => names.has(id)).map((id) => names.get(id) ?? null),
          days: Math.round(length / DAY_MS),
          before: await windowFacts(
            organisationId,
            mark.projectIds,
            mark.themeId,
            new Date(givenOn.getTime() - length),
            givenOn,
          ),
          after: await windowFacts(organisationId, mark.projectIds, mark.themeId, givenOn, until),
        });
      }
      return facts;
    },

    async choosableProjects(organisationId) {
      return db.project.findMany({
        where: { organisationId, anonymous: false, phase: { notIn: ["stopped", "finished"] } },
        select: { id: true, name: true },
        orderBy: { name: "asc" },
      });
    },

    async projectNames(organisationId, projectIds) {
      if (projectIds.length === 0) return new Map();
      const rows = await db.project.findMany({
        where: { organisationId, id: { in: [...projectIds] } },
        select: { id: true, name: true, anonymous: true },
      });
      return new Map(rows.map((row) => [row.id, row.anonymous ? null : row.name]));
    },
  };
  return repository;
}
