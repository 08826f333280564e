import { randomUUID } from "node:crypto";
import type { Cadence } from "../domain/cadence.ts";
import type { Platform } from "../domain/inbound-event.ts";
import { toLocale } from "../domain/locale.ts";
import type { Phase } from "../domain/phase.ts";
import type { CycleQuestions, CycleRecord, ProjectRecord, RetroStore } from "../ports/store.ts";
import type { DbClient } from "./client-types.ts";
import { quietHoursOf, toPersonRecord } from "./person-mapping.ts";

type CycleRow = {
  id: string;
  projectId: string;
  sequence: number;
  format: string;
  questions: unknown;
  status: string;
  opensAt: Date;
  remindsAt: Date;
  closesAt: Date;
  remindedAt: Date | null;
};

type MemberRow = {
  role: string;
  discipline: string | null;
  id: string;
  organisationId: string;
  displayName: string;
  locale: string | null;
  timezone: string | null;
  roles: string[];
  identities: { platform: string; conversationRef: string | null }[];
  absent: boolean;
};

type ProjectRow = {
  id: string;
  organisationId: string;
  name: string;
  phase: string;
  phaseSince: Date;
  createdAt: Date;
  active: boolean;
  cadence: unknown;
  retroFormat: string;
  formatRotation: string[];
  holidayPolicy: string;
  skipNext: boolean;
  answerWindowMinutes: number;
  reminderAtPercent: number;
  anonymous: boolean;
  organisationLocale: string;
  timezone: string;
  quietHoursEnd: number;
  quietHoursStart: number;
  quietWeekends: boolean;
  minGroupSize: number;
  channels: { platform: string; conversationRef: string }[];
  memberships: MemberRow[];
};

function toCycle(row: CycleRow): CycleRecord {
  return {
    id: row.id,
    projectId: row.projectId,
    sequence: row.sequence,
    format: row.format,
    questions: row.questions as CycleQuestions,
    status: row.status as CycleRecord["status"],
    opensAt: row.opensAt,
    remindsAt: row.remindsAt,
    closesAt: row.closesAt,
    remindedAt: row.remindedAt,
  };
}

export function createRetroRepository(db: DbClient): RetroStore {
  async function projects(projectIds: readonly string[], now: Date): Promise<ProjectRecord[]> {
    // One statement with the members nested as JSON: on every tick's path, for up to a
    // batch of projects at once.
    const rows = await db.$queryRaw<ProjectRow[]>`
      SELECT p.id, p."organisationId", p.name, p.phase, p."phaseSince", p."createdAt", p.active, p.cadence,
        p."retroFormat", p."formatRotation", p."holidayPolicy", p."skipNext", p."answerWindowMinutes",
        p."reminderAtPercent", p.anonymous, o.locale AS "organisationLocale", o.timezone, o."quietHoursEnd",
        o."quietHoursStart", o."quietWeekends", o."minGroupSize",
        coalesce((SELECT json_agg(json_build_object('platform', c.platform, 'conversationRef', c."conversationRef"))
          FROM "ProjectChannel" c WHERE c."projectId" = p.id), '[]') AS channels,
        coalesce((SELECT json_agg(json_build_object(
            'role', m.role, 'discipline', m.discipline, 'id', pe.id, 'organisationId', pe."organisationId",
            'displayName', pe."displayName", 'locale', pe.locale, 'timezone', pe.timezone, 'roles', pe.roles,
            'identities', coalesce((SELECT json_agg(json_build_object('platform', i.platform, 'conversationRef', i."conversationRef"))
              FROM "ChatIdentity" i WHERE i."personId" = pe.id), '[]'),
            'absent', EXISTS (SELECT 1 FROM "Absence" a WHERE a."personId" = pe.id AND a."startsOn" <= ${now} AND a."endsOn" >= ${now}))
            ORDER BY m.id)
          FROM "Membership" m JOIN "Person" pe ON pe.id = m."personId" WHERE m."projectId" = p.id), '[]') AS memberships
      FROM "Project" p JOIN "Organisation" o ON o.id = p."organisationId"
      WHERE p.id = ANY(${[...projectIds]}::text[])`;
    return rows.map((row) => {
      const organisation = { locale: row.organisationLocale };
      const person = (member: MemberRow) => toPersonRecord({ ...member, organisation });
      const participants = row.memberships
        .filter((member) => member.role === "member" || member.role === "lead")
        .map((member) => ({
          ...person(member),
          projectRole: member.role as "member" | "lead",
          discipline: member.discipline,
          absent: member.absent,
        }));
      return {
        id: row.id,
        organisationId: row.organisationId,
        name: row.name,
        phase: row.phase as Phase,
        phaseSince: row.phaseSince,
        createdAt: row.createdAt,
        active: row.active,
        cadence: row.cadence as Cadence,
        retroFormat: row.retroFormat,
        formatRotation: row.formatRotation,
        holidayPolicy: row.holidayPolicy === "skip" ? "skip" : "move",
        skipNext: row.skipNext,
        answerWindowMinutes: row.answerWindowMinutes,
        reminderAtPercent: row.reminderAtPercent,
        anonymous: row.anonymous,
        locale: toLocale(row.organisationLocale),
        timezone: row.timezone,
        quiet: quietHoursOf(row),
        minGroupSize: row.minGroupSize,
        channels: row.channels.map((channel) => ({
          platform: channel.platform as Platform,
          conversationRef: channel.conversationRef,
        })),
        participants: [...new Map(participants.map((participant) => [participant.id, participant])).values()],
        managers: row.memberships.filter((member) => member.role === "manager").map(person),
      };
    });
  }

  async function latestCycles(projectIds: readonly string[]): Promise<Map<string, CycleRecord>> {
    // DISTINCT ON walks the (projectId, sequence) index: one row per project, however old.
    const rows = await db.$queryRaw<CycleRow[]>`
      SELECT DISTINCT ON ("projectId") id, "projectId", sequence, format, questions, status,
        "opensAt", "remindsAt", "closesAt", "remindedAt"
      FROM "RetroCycle" WHERE "projectId" = ANY(${[...projectIds]}::text[])
      ORDER BY "projectId", sequence DESC`;
    return new Map(rows.map((row) => [row.projectId, toCycle(row)]));
  }

  return {
    async project(projectId, now) {
      const [project] = await projects([projectId], now);
      return project ?? null;
    },

    projects,

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
      await db.$executeRaw`
        INSERT INTO "RetroCycle" (id, "projectId", sequence, format, locale, questions, "opensAt", "remindsAt", "closesAt")
        SELECT id, project, sequence, format, 'nl', questions::jsonb, opens::timestamp(3), reminds::timestamp(3), closes::timestamp(3)
        FROM unnest(${cycles.map((cycle) => cycle.id)}::text[], ${cycles.map((cycle) => cycle.projectId)}::text[],
          ${cycles.map((cycle) => cycle.sequence)}::int[], ${cycles.map((cycle) => cycle.format)}::text[],
          ${cycles.map((cycle) => JSON.stringify(cycle.questions))}::text[], ${at((cycle) => cycle.opensAt)}::text[],
          ${at((cycle) => cycle.remindsAt)}::text[], ${at((cycle) => cycle.closesAt)}::text[])
          AS c(id, project, sequence, format, questions, opens, reminds, closes)`;
      const deliveries = cycles.flatMap((cycle) =>
        cycle.participantIds.map((personId) => ({ cycleId: cycle.id, personId })),
      );
      await db.$executeRaw`
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
      const keys = input.answers.map((answer) => answer.questionKey);
      await db.answer.deleteMany({
        where: { cycleId: input.cycleId, responseKey: input.responseKey, questionKey: { notIn: keys } },
      });
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
      await db.delivery.update({ where: { id: input.deliveryId }, data: { answeredAt: input.at } });
    },

    async openActions(projectIds) {
      const rows = await db.actionItem.findMany({
        where: { projectId: { in: projectIds }, status: { in: ["open", "not-yet"] } },
        include: { owner: { select: { displayName: true } }, project: { select: { name: true } } },
        orderBy: { createdAt: "asc" },
      });
      return rows.map((row) => ({
        id: row.id,
        projectId: row.projectId,
        projectName: row.project.name,
        text: row.text,
        ownerName: row.owner?.displayName ?? null,
        createdAt: row.createdAt,
      }));
    },

    async markActionsReviewed(reviews) {
      if (reviews.length === 0) return;
      await db.$executeRaw`
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

    async setCadence(projectId, cadence) {
      await db.project.update({ where: { id: projectId }, data: { cadence } });
    },

    async skipCycle(input) {
      await db.retroCycle.create({
        data: {
          projectId: input.projectId,
          sequence: input.sequence,
          format: input.format,
          locale: "nl",
          questions: {},
          status: "skipped",
          skipReason: input.reason,
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
