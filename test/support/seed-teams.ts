// Teams on the web platform, inserted in bulk; free of vitest, so bench/fanout seeds with it too.
import { randomUUID } from "node:crypto";
import type { Insertable } from "kysely";
import type { Db } from "../../src/persistence/database.ts";
import type { DB } from "../../src/persistence/database-types.ts";

export type SeededTeam = { organisationId: string; projectIds: string[]; memberIds: string[] };

export const dmRef = (personId: string) => `web:dm:${personId}`;
export const channelRef = (projectId: string) => `web:channel:${projectId}`;

/**
 * An organisation with `projects` teams of `members` people each (nobody in two teams), on
 * the web platform, the first of each team its lead, with a one-minute answer window unless
 * told otherwise. The cadence is long, so only one cycle opens during a test; tests that need
 * the reminder or the close sooner move the cycle's times in the database.
 */
export async function seedTeams(
  db: Db,
  input: { projects: number; members: number; now: Date; answerWindowMinutes?: number },
): Promise<SeededTeam> {
  // Messages allowed around the clock, so the tests don't depend on the time of day.
  const organisation = await db
    .insertInto("Organisation")
    .values({
      name: "Gemeente Robuust",
      locale: "nl",
      quietHoursEnd: 0,
      quietHoursStart: 24 * 60,
      quietWeekends: false,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const teams = Array.from({ length: input.projects }, () => ({
    projectId: randomUUID(),
    people: Array.from({ length: input.members }, () => randomUUID()),
  }));
  await insertInChunks(
    db,
    "Person",
    teams.flatMap((team, p) =>
      team.people.map((id, m) => ({
        id,
        organisationId: organisation.id,
        displayName: `Persoon ${p}-${m}`,
        roles: ["member"],
      })),
    ),
  );
  await insertInChunks(
    db,
    "ChatIdentity",
    teams.flatMap((team) =>
      team.people.map((id) => ({
        personId: id,
        platform: "web",
        tenantId: organisation.id,
        platformUserId: id,
        conversationRef: dmRef(id),
      })),
    ),
  );
  await insertInChunks(
    db,
    "Project",
    teams.map((team, p) => ({
      id: team.projectId,
      organisationId: organisation.id,
      name: `Project ${p}`,
      phase: "pilot",
      cadence: JSON.stringify({ kind: "minutes", every: 600 }),
      answerWindowMinutes: input.answerWindowMinutes ?? 1,
      reminderAtPercent: 50,
      createdAt: input.now,
      cadenceSince: input.now,
    })),
  );
  await insertInChunks(
    db,
    "ProjectChannel",
    teams.map((team) => ({ projectId: team.projectId, platform: "web", conversationRef: channelRef(team.projectId) })),
  );
  await insertInChunks(
    db,
    "Membership",
    teams.flatMap((team) =>
      team.people.map((personId, m) => ({
        projectId: team.projectId,
        personId,
        role: m === 0 ? "lead" : "member",
        discipline: m === 0 ? "lead" : "domain-expert",
        sector: "government",
      })),
    ),
  );
  return {
    organisationId: organisation.id,
    projectIds: teams.map((team) => team.projectId),
    memberIds: teams.flatMap((team) => team.people),
  };
}

/** PostgreSQL takes at most 65,535 parameters a statement. */
async function insertInChunks<Table extends keyof DB>(
  db: Db,
  table: Table,
  rows: Insertable<DB[Table]>[],
): Promise<void> {
  for (let start = 0; start < rows.length; start += 2000) {
    await db
      .insertInto(table)
      .values(rows.slice(start, start + 2000) as never)
      .execute();
  }
}
