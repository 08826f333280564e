// Advisers' marks on suggested interventions and the organisation's own interventions, on
// PostgreSQL. Form keys are unique in the database, so a replayed form is refused by it.

import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { InterventionKind } from "../domain/intervention.ts";
import type { GivenFacts, InterventionMark, WindowFacts } from "../domain/intervention-loop.ts";
import type { InterventionStatus } from "../domain/record-status.ts";
import type { InterventionStore } from "../ports/intervention-store.ts";
import type { Db } from "./database.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
const isoDay = (date: Date | null) => (date ? date.toISOString().slice(0, 10) : null);
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

export function createInterventionRepository(db: Db): InterventionStore {
  /** Counts for the projects (all of the organisation's when none are named) in [from, to). */
  async function windowFacts(
    organisationId: string,
    projectIds: string[],
    themeId: string,
    from: Date,
    to: Date,
  ): Promise<WindowFacts> {
    const {
      rows: [row],
    } = await sql<{ people: number; responses: number; average: number | null; lessons: number }>`
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
            AND l."createdAt" >= ${from} AND l."createdAt" < ${to})::int AS lessons`.execute(db);
    return {
      people: Number(row?.people ?? 0),
      responses: Number(row?.responses ?? 0),
      average: row?.average ?? null,
      themeLessons: Number(row?.lessons ?? 0),
    };
  }

  const repository: InterventionStore = {
    async marks(organisationId) {
      const rows = await db
        .selectFrom("InterventionMark")
        .selectAll()
        .where("organisationId", "=", organisationId)
        .orderBy("createdAt", "desc")
        .limit(500)
        .execute();
      return rows.map(
        (row): InterventionMark => ({
          id: row.id,
          interventionId: row.interventionId,
          themeId: row.themeId,
          status: row.status as InterventionStatus,
          plannedFor: isoDay(row.plannedFor),
          givenOn: isoDay(row.givenOn),
          projectIds: row.projectIds ?? [],
          digestId: row.digestId,
          periodStart: row.periodStart,
          periodEnd: row.periodEnd,
        }),
      );
    },

    async mark(input) {
      const created = await db
        .insertInto("InterventionMark")
        .values({
          id: randomUUID(),
          ...input,
          plannedFor: input.plannedFor ? day(input.plannedFor) : null,
          givenOn: input.givenOn ? day(input.givenOn) : null,
        })
        .onConflict((conflict) => conflict.doNothing())
        .executeTakeFirst();
      return Number(created.numInsertedOrUpdatedRows ?? 0) === 1;
    },

    async markGiven({ organisationId, markId, givenOn, formKey }) {
      const updated = await db
        .updateTable("InterventionMark")
        .set({ status: "given", givenOn: day(givenOn), givenKey: formKey, updatedAt: new Date() })
        .where("id", "=", markId)
        .where("organisationId", "=", organisationId)
        .where("status", "=", "planned")
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 1) return "given";
      const mark = await db
        .selectFrom("InterventionMark")
        .select("givenKey")
        .where("id", "=", markId)
        .where("organisationId", "=", organisationId)
        .executeTakeFirst();
      return mark?.givenKey === formKey ? "already" : "not-planned";
    },

    async custom(organisationId) {
      const rows = await db
        .selectFrom("CustomIntervention")
        .selectAll()
        .where("organisationId", "=", organisationId)
        .orderBy("createdAt", "asc")
        .execute();
      return rows.map((row) => ({
        id: row.id,
        theme: row.themeId,
        kind: row.kind as InterventionKind,
        title: row.title,
        description: row.description,
      }));
    },

    async addCustom(input) {
      const created = await db
        .insertInto("CustomIntervention")
        .values({
          id: randomUUID(),
          organisationId: input.organisationId,
          themeId: input.theme,
          kind: input.kind,
          title: input.title,
          description: input.description,
          formKey: input.formKey,
        })
        .onConflict((conflict) => conflict.doNothing())
        .executeTakeFirst();
      return Number(created.numInsertedOrUpdatedRows ?? 0) === 1;
    },

    async givenFacts({ organisationId, since, until }) {
      const given = await db
        .selectFrom("InterventionMark")
        .selectAll()
        .where("organisationId", "=", organisationId)
        .where("status", "=", "given")
        .where("givenOn", ">=", since)
        .where("givenOn", "<", until)
        .orderBy("givenOn", "asc")
        .execute();
      const facts: GivenFacts[] = [];
      for (const mark of given) {
        const givenOn = mark.givenOn as Date;
        const length = Math.max(until.getTime() - givenOn.getTime(), DAY_MS);
        const projectIds = mark.projectIds ?? [];
        const names = await repository.projectNames(organisationId, projectIds);
        facts.push({
          interventionId: mark.interventionId,
          themeId: mark.themeId,
          givenOn: isoDay(givenOn) as string,
          projects: projectIds.filter((id) => names.has(id)).map((id) => names.get(id) ?? null),
          days: Math.round(length / DAY_MS),
          before: await windowFacts(
            organisationId,
            projectIds,
            mark.themeId,
            new Date(givenOn.getTime() - length),
            givenOn,
          ),
          after: await windowFacts(organisationId, projectIds, mark.themeId, givenOn, until),
        });
      }
      return facts;
    },

    async choosableProjects(organisationId) {
      return db
        .selectFrom("Project")
        .select(["id", "name"])
        .where("organisationId", "=", organisationId)
        .where("anonymous", "=", false)
        .where("phase", "not in", ["stopped", "finished"])
        .orderBy("name", "asc")
        .execute();
    },

    async projectNames(organisationId, projectIds) {
      if (projectIds.length === 0) return new Map();
      const rows = await db
        .selectFrom("Project")
        .select(["id", "name", "anonymous"])
        .where("organisationId", "=", organisationId)
        .where("id", "in", [...projectIds])
        .execute();
      return new Map(rows.map((row) => [row.id, row.anonymous ? null : row.name]));
    },
  };
  return repository;
}
