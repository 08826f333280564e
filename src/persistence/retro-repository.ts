import { randomUUID } from "node:crypto";
import type { ActionRecord, CycleQuestions, CycleRecord, RetroStore } from "../ports/store.ts";
import type { DbClient } from "./client-types.ts";
import { distinctJson } from "./distinct-json.ts";
import type { DriverSql } from "./driver-sql.ts";
import { loadProjects } from "./project-loader.ts";

type CycleRow = {
  id: string;
  projectId: string;
  sequence: number;
  format: string;
  questions: unknown;
  status: string;
  plannedAt: Date | null;
  opensAt: Date;
  remindsAt: Date;
  closesAt: Date;
  remindedAt: Date | null;
};

function toCycle(row: CycleRow): CycleRecord {
  return {
    id: row.id,
    projectId: row.projectId,
    sequence: row.sequence,
    format: row.format,
    questions: row.questions as CycleQuestions,
    status: row.status as CycleRecord["status"],
    plannedAt: row.plannedAt ?? row.opensAt,
    opensAt: row.opensAt,
    remindsAt: row.remindsAt,
    closesAt: row.closesAt,
    remindedAt: row.remindedAt,
  };
}

/** Prisma for single rows; the statements that take a whole batch run on the driver (driver-sql.ts). */
export function createRetroRepository(db: DbClient, sql: DriverSql): RetroStore {
  async function latestCycles(projectIds: readonly string[]): Promise<Map<string, CycleRecord>> {
    // DISTINCT ON walks the (projectId, sequence) index: one row per project, however old.
    const rows = await sql<CycleRow>`
      SELECT DISTINCT ON ("projectId") id, "projectId", sequence, format, questions, status,
        "plannedAt", "opensAt", "remindsAt", "closesAt", "remindedAt"
      FROM "RetroCycle" WHERE "projectId" = ANY(${[...projectIds]}::text[])
      ORDER BY "projectId", sequence DESC`;
    return new Map(rows.map((row) => [row.projectId, toCycle(row)]));
  }

  return {
    async project(projectId, now) {
      const [project] = await loadProjects(sql, [projectId], now);
      return project ?? null;
    },

    projects: (projectIds, now) => loadProjects(sql, projectIds, now),

    async latestCycle(projectId) {
      return (await latestCycles([projectId])).get(projectId) ?? null;
    },

    latestCycles,

    async cycle(cycleId) {
      const row = await db.retroCycle.findUnique({ where: { id: cycleId } });
      return row ? toCycle(row) : null;
    },

    async createCycles(inputs) {
      if (inputs.length === 0) return [];
      // Ids made here, so the cycles and their deliveries go in with one statement each.
      const cycles = inputs.map((input) => ({ ...input, id: randomUUID() }));
      const at = (pick: (cycle: (typeof cycles)[number]) => Date) => cycles.map((cycle) => pick(cycle).toISOString());
      // Projects in the same phase and format ask the same questions: each set is sent once.
      const { texts: questionSets, indexes: questionSet } = distinctJson(cycles.map((cycle) => cycle.questions));
      await sql`
        WITH question_set AS (
          SELECT n::int - 1 AS index, questions::jsonb AS questions
          FROM unnest(${questionSets}::text[]) WITH ORDINALITY AS q(questions, n))
        INSERT INTO "RetroCycle" (id, "projectId", sequence, format, questions, "plannedAt", "opensAt",
          "remindsAt", "closesAt")
        SELECT id, project, sequence, format, question_set.questions, planned::timestamp(3), opens::timestamp(3),
          reminds::timestamp(3), closes::timestamp(3)
        FROM unnest(${cycles.map((cycle) => cycle.id)}::text[], ${cycles.map((cycle) => cycle.projectId)}::text[],
          ${cycles.map((cycle) => cycle.sequence)}::int[], ${cycles.map((cycle) => cycle.format)}::text[],
          ${questionSet}::int[], ${at((cycle) => cycle.plannedAt)}::text[], ${at((cycle) => cycle.opensAt)}::text[],
          ${at((cycle) => cycle.remindsAt)}::text[], ${at((cycle) => cycle.closesAt)}::text[])
          AS c(id, project, sequence, format, question_set, planned, opens, reminds, closes)
        JOIN question_set ON question_set.index = c.question_set`;
      const deliveries = cycles.flatMap((cycle) =>
        cycle.participantIds.map((personId) => ({ cycleId: cycle.id, personId })),
      );
      await sql`
        INSERT INTO "Delivery" (id, "cycleId", "personId")
        SELECT gen_random_uuid()::text, cycle, person
        FROM unnest(${deliveries.map((delivery) => delivery.cycleId)}::text[], ${deliveries.map((delivery) => delivery.personId)}::text[])
          AS d(cycle, person)`;
      return cycles.map((cycle) => toCycle({ ...cycle, status: "open", remindedAt: null }));
    },

    async deliveries(cycleId) {
      return db.delivery.findMany({
        where: { cycleId },
        select: { id: true, personId: true, answeredAt: true },
        orderBy: { createdAt: "asc" },
      });
    },

    async markReminded(cycleId, at) {
      await db.retroCycle.updateMany({ where: { id: cycleId, remindedAt: null }, data: { remindedAt: at } });
    },

    async closeCycle(cycleId, at) {
      const result = await db.retroCycle.updateMany({
        where: { id: cycleId, status: "open" },
        data: { status: "closed", closedAt: at },
      });
      return result.count === 1;
    },

    async answers(cycleId) {
      return db.answer.findMany({
        where: { cycleId },
        select: { id: true, responseKey: true, questionKey: true, text: true, score: true, personId: true },
        orderBy: { createdAt: "asc" },
      });
    },

    async saveAnswers(input) {
      if (input.clear.length > 0) {
        await db.answer.deleteMany({
          where: { cycleId: input.cycleId, responseKey: input.responseKey, questionKey: { in: input.clear } },
        });
      }
      for (const answer of input.answers) {
        await db.answer.upsert({
          where: {
            cycleId_responseKey_questionKey: {
              cycleId: input.cycleId,
              responseKey: input.responseKey,
              questionKey: answer.questionKey,
            },
          },
          create: { cycleId: input.cycleId, responseKey: input.responseKey, personId: input.personId, ...answer },
          update: { text: answer.text, score: answer.score },
        });
      }
      const left = await db.answer.count({ where: { cycleId: input.cycleId, responseKey: input.responseKey } });
      await db.delivery.update({ where: { id: input.deliveryId }, data: { answeredAt: left > 0 ? input.at : null } });
    },

    async openActions(projectIds) {
      // On every opening's path, for a batch of projects: one statement, owner and project joined.
      return sql<ActionRecord>`
        SELECT a.id, a."projectId", p.name AS "projectName", a.text, o."displayName" AS "ownerName", a."createdAt"
        FROM "ActionItem" a JOIN "Project" p ON p.id = a."projectId" LEFT JOIN "Person" o ON o.id = a."ownerId"
        WHERE a."projectId" = ANY(${projectIds}::text[]) AND a.status IN ('open', 'not-yet')
        ORDER BY a."createdAt", a.id`;
    },

    async markActionsReviewed(reviews) {
      if (reviews.length === 0) return;
      await sql`
        UPDATE "ActionItem" a SET "reviewedInCycleId" = r.cycle
        FROM unnest(${reviews.map((review) => review.actionId)}::text[], ${reviews.map((review) => review.cycleId)}::text[])
          AS r(id, cycle)
        WHERE a.id = r.id`;
    },

    async reviewAction(actionId, status, at) {
      const action = await db.actionItem.findUnique({ where: { id: actionId } });
      if (!action) return null;
      await db.actionItem.update({ where: { id: actionId }, data: { status, reviewedAt: at } });
      // Follow-through: of the actions reviewed so far, the share that was done.
      const reviewed = await db.actionItem.groupBy({
        by: ["status"],
        where: { projectId: action.projectId, reviewedAt: { not: null } },
        _count: { _all: true },
      });
      const total = reviewed.reduce((sum, row) => sum + row._count._all, 0);
      const done = reviewed.find((row) => row.status === "done")?._count._all ?? 0;
      await db.project.update({
        where: { id: action.projectId },
        data: { followThrough: total > 0 ? done / total : null },
      });
      return { projectId: action.projectId };
    },

    async action(actionId) {
      return db.actionItem.findUnique({
        where: { id: actionId },
        select: { id: true, projectId: true, ownerId: true, status: true },
      });
    },

    async setSkipNext(projectId, skip) {
      await db.project.update({ where: { id: projectId }, data: { skipNext: skip } });
    },

    async setActionOwner(actionId, ownerId) {
      await db.actionItem.update({ where: { id: actionId }, data: { ownerId } });
    },

    async setHolidayPolicy(projectId, policy) {
      await db.project.update({ where: { id: projectId }, data: { holidayPolicy: policy } });
    },

    async setFormatRotation(projectId, formats) {
      await db.project.update({ where: { id: projectId }, data: { formatRotation: formats } });
    },

    async setCadence(projectId, cadence, since) {
      await db.project.update({ where: { id: projectId }, data: { cadence, cadenceSince: since } });
    },

    async skipCycle(input) {
      await db.retroCycle.create({
        data: {
          projectId: input.projectId,
          sequence: input.sequence,
          format: input.format,
          questions: {},
          status: "skipped",
          skipReason: input.reason,
          plannedAt: input.plannedAt,
          opensAt: input.at,
          remindsAt: input.at,
          closesAt: input.at,
          closedAt: input.at,
        },
      });
    },

    async createActions(items) {
      if (items.length === 0) return;
      await db.actionItem.createMany({ data: items, skipDuplicates: true });
    },
  };
}
