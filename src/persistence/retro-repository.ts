import { randomUUID } from "node:crypto";
import { sql, type Updateable } from "kysely";
import { PULSE_PREFIX, type PulseTally } from "../domain/team-pulse.ts";
import type { ActionRecord, CycleQuestions, CycleRecord, RetroStore } from "../ports/retro-store.ts";
import { type Db, json } from "./database.ts";
import type { DB } from "./database-types.ts";
import { distinctJson, jsonArray } from "./distinct-json.ts";
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

/** The query builder for single rows; the statements that take a whole batch are SQL of their own. */
export function createRetroRepository(db: Db): RetroStore {
  /** Follow-through: of the actions reviewed so far, the share that was done. */
  async function updateFollowThrough(projectId: string): Promise<void> {
    await sql`
      UPDATE "Project" SET "followThrough" = (
        SELECT (count(*) FILTER (WHERE status = 'done'))::float8 / nullif(count(*), 0) FROM "ActionItem"
        WHERE "projectId" = ${projectId} AND "reviewedAt" IS NOT NULL)
      WHERE id = ${projectId}`.execute(db);
  }

  const setProject = (projectId: string, changes: Updateable<DB["Project"]>) =>
    db.updateTable("Project").set(changes).where("id", "=", projectId).execute();

  async function latestCycles(projectIds: readonly string[]): Promise<Map<string, CycleRecord>> {
    // DISTINCT ON walks the (projectId, sequence) index: one row per project, however old.
    const { rows } = await sql<CycleRow>`
      SELECT DISTINCT ON ("projectId") id, "projectId", sequence, format, questions, status,
        "plannedAt", "opensAt", "remindsAt", "closesAt", "remindedAt"
      FROM "RetroCycle" WHERE "projectId" = ANY(${[...projectIds]}::text[])
      ORDER BY "projectId", sequence DESC`.execute(db);
    return new Map(rows.map((row) => [row.projectId, toCycle(row)]));
  }

  return {
    async project(projectId, now) {
      const [project] = await loadProjects(db, [projectId], now);
      return project ?? null;
    },

    projects: (projectIds, now) => loadProjects(db, projectIds, now),

    async latestCycle(projectId) {
      return (await latestCycles([projectId])).get(projectId) ?? null;
    },

    latestCycles,

    async cycle(cycleId) {
      const row = await db.selectFrom("RetroCycle").selectAll().where("id", "=", cycleId).executeTakeFirst();
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
          FROM json_array_elements(${jsonArray(questionSets)}::json) WITH ORDINALITY AS q(questions, n))
        INSERT INTO "RetroCycle" (id, "projectId", sequence, format, questions, "plannedAt", "opensAt",
          "remindsAt", "closesAt")
        SELECT id, project, sequence, format, question_set.questions, planned::timestamp(3), opens::timestamp(3),
          reminds::timestamp(3), closes::timestamp(3)
        FROM unnest(${cycles.map((cycle) => cycle.id)}::text[], ${cycles.map((cycle) => cycle.projectId)}::text[],
          ${cycles.map((cycle) => cycle.sequence)}::int[], ${cycles.map((cycle) => cycle.format)}::text[],
          ${questionSet}::int[], ${at((cycle) => cycle.plannedAt)}::text[], ${at((cycle) => cycle.opensAt)}::text[],
          ${at((cycle) => cycle.remindsAt)}::text[], ${at((cycle) => cycle.closesAt)}::text[])
          AS c(id, project, sequence, format, question_set, planned, opens, reminds, closes)
        JOIN question_set ON question_set.index = c.question_set`.execute(db);
      const deliveries = cycles.flatMap((cycle) =>
        cycle.participantIds.map((personId) => ({ cycleId: cycle.id, personId })),
      );
      await sql`
        INSERT INTO "Delivery" (id, "cycleId", "personId")
        SELECT gen_random_uuid()::text, cycle, person
        FROM unnest(${deliveries.map((delivery) => delivery.cycleId)}::text[], ${deliveries.map((delivery) => delivery.personId)}::text[])
          AS d(cycle, person)`.execute(db);
      return cycles.map((cycle) => toCycle({ ...cycle, status: "open", remindedAt: null }));
    },

    async deliveries(cycleId) {
      return db
        .selectFrom("Delivery")
        .select(["id", "personId", "answeredAt"])
        .where("cycleId", "=", cycleId)
        .orderBy("createdAt")
        .execute();
    },

    async markReminded(cycleId, at) {
      await db
        .updateTable("RetroCycle")
        .set({ remindedAt: at })
        .where("id", "=", cycleId)
        .where("remindedAt", "is", null)
        .execute();
    },

    async closeCycle(cycleId, at) {
      const result = await db
        .updateTable("RetroCycle")
        .set({ status: "closed", closedAt: at })
        .where("id", "=", cycleId)
        .where("status", "=", "open")
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async answers(cycleId) {
      return db
        .selectFrom("Answer")
        .select(["id", "responseKey", "questionKey", "text", "score", "personId"])
        .where("cycleId", "=", cycleId)
        .orderBy("createdAt")
        .execute();
    },

    async saveAnswers(input) {
      if (input.clear.length > 0) {
        await db
          .deleteFrom("Answer")
          .where("cycleId", "=", input.cycleId)
          .where("responseKey", "=", input.responseKey)
          .where("questionKey", "in", input.clear)
          .execute();
      }
      // The last answer to a question counts, as when each was saved in turn.
      const latest = [...new Map(input.answers.map((answer) => [answer.questionKey, answer])).values()];
      if (latest.length > 0) {
        const at = new Date();
        await db
          .insertInto("Answer")
          .values(
            latest.map((answer) => ({
              cycleId: input.cycleId,
              responseKey: input.responseKey,
              personId: input.personId,
              questionKey: answer.questionKey,
              text: answer.text,
              score: answer.score,
              updatedAt: at,
            })),
          )
          .onConflict((conflict) =>
            conflict.columns(["cycleId", "responseKey", "questionKey"]).doUpdateSet((eb) => ({
              text: eb.ref("excluded.text"),
              score: eb.ref("excluded.score"),
              updatedAt: eb.ref("excluded.updatedAt"),
            })),
          )
          .execute();
      }
      const left = await db
        .selectFrom("Answer")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .where("cycleId", "=", input.cycleId)
        .where("responseKey", "=", input.responseKey)
        .executeTakeFirstOrThrow();
      await db
        .updateTable("Delivery")
        .set({ answeredAt: Number(left.n) > 0 ? input.at : null })
        .where("id", "=", input.deliveryId)
        .execute();
    },

    async pulseTallies(projectId) {
      const pulse = `${PULSE_PREFIX}%`;
      // Respondents are distinct response keys: one per delivery, whatever was submitted again.
      const { rows } = await sql<{
        sequence: number;
        respondents: number;
        key: string;
        responses: number;
        sum: number;
      }>`
        SELECT c.sequence, a."questionKey" AS key, count(*)::int AS responses, sum(a.score)::int AS sum,
          (SELECT count(DISTINCT r."responseKey") FROM "Answer" r
            WHERE r."cycleId" = c.id AND r."questionKey" LIKE ${pulse} AND r.score IS NOT NULL)::int AS respondents
        FROM "RetroCycle" c JOIN "Answer" a ON a."cycleId" = c.id
        WHERE c."projectId" = ${projectId} AND a."questionKey" LIKE ${pulse} AND a.score IS NOT NULL
        GROUP BY c.id, c.sequence, a."questionKey"
        ORDER BY c.sequence, a."questionKey"`.execute(db);
      const tallies = new Map<number, PulseTally>();
      for (const row of rows) {
        const tally = tallies.get(row.sequence) ?? {
          sequence: row.sequence,
          respondents: row.respondents,
          statements: [],
        };
        tally.statements.push({ key: row.key, responses: row.responses, sum: row.sum });
        tallies.set(row.sequence, tally);
      }
      return [...tallies.values()];
    },

    async openActions(projectIds) {
      // On every opening's path, for a batch of projects: one statement, owner and project joined.
      const { rows } = await sql<ActionRecord>`
        SELECT a.id, a."projectId", p.name AS "projectName", a.text, a."createdAt",
          COALESCE(o.ids, '{}') AS "ownerIds", COALESCE(o.names, '{}') AS "ownerNames"
        FROM "ActionItem" a JOIN "Project" p ON p.id = a."projectId"
        LEFT JOIN LATERAL (
          SELECT array_agg(w."personId" ORDER BY w."createdAt", w."personId") AS ids,
            array_agg(n."displayName" ORDER BY w."createdAt", w."personId") AS names
          FROM "ActionOwner" w JOIN "Person" n ON n.id = w."personId" WHERE w."actionId" = a.id
        ) o ON true
        WHERE a."projectId" = ANY(${projectIds}::text[]) AND a.status IN ('open', 'not-yet')
        ORDER BY a."createdAt", a.id`.execute(db);
      return rows;
    },

    async markActionsReviewed(reviews) {
      if (reviews.length === 0) return;
      await sql`
        UPDATE "ActionItem" a SET "reviewedInCycleId" = r.cycle, "reviewedById" = NULL
        FROM unnest(${reviews.map((review) => review.actionId)}::text[], ${reviews.map((review) => review.cycleId)}::text[])
          AS r(id, cycle)
        WHERE a.id = r.id`.execute(db);
    },

    async reviewAction(actionId, input) {
      // Once per review: a second click, or one racing it, finds it answered and changes nothing.
      const action = await db
        .updateTable("ActionItem")
        .set({ status: input.status, reviewedAt: input.at, reviewedById: input.personId })
        .where("id", "=", actionId)
        .where("status", "in", ["open", "not-yet"])
        .where("reviewedById", "is", null)
        .returning("projectId")
        .executeTakeFirst();
      if (!action) return null;
      await updateFollowThrough(action.projectId);
      return { projectId: action.projectId };
    },

    async undoActionReview(actionId) {
      const action = await db
        .updateTable("ActionItem")
        .set({ status: "open", reviewedAt: null, reviewedById: null })
        .where("id", "=", actionId)
        .where("reviewedById", "is not", null)
        .returning("projectId")
        .executeTakeFirst();
      if (!action) return false;
      await updateFollowThrough(action.projectId);
      return true;
    },

    async action(actionId) {
      const row = await db
        .selectFrom("ActionItem as a")
        .select(["a.id", "a.projectId", "a.status", "a.reviewedInCycleId", "a.reviewedById"])
        .select((eb) =>
          eb
            .fn<string[]>("array", [
              eb
                .selectFrom("ActionOwner as o")
                .select("o.personId")
                .whereRef("o.actionId", "=", "a.id")
                .orderBy("o.createdAt"),
            ])
            .as("ownerIds"),
        )
        .where("a.id", "=", actionId)
        .executeTakeFirst();
      return row ?? null;
    },

    async setSkipNext(projectId, skip) {
      await setProject(projectId, { skipNext: skip });
    },

    async setHolidayPolicy(projectId, policy) {
      await setProject(projectId, { holidayPolicy: policy });
    },

    async setFormatRotation(projectId, formats) {
      await setProject(projectId, { formatRotation: formats });
    },

    async setCadence(projectId, cadence, since) {
      await setProject(projectId, { cadence: json(cadence), cadenceSince: since });
    },

    async skipCycle(input) {
      await db
        .insertInto("RetroCycle")
        .values({
          projectId: input.projectId,
          sequence: input.sequence,
          format: input.format,
          questions: json({}),
          status: "skipped",
          skipReason: input.reason,
          plannedAt: input.plannedAt,
          opensAt: input.at,
          remindsAt: input.at,
          closesAt: input.at,
          closedAt: input.at,
        })
        .execute();
    },
  };
}
