// The fan-out bench's database: its own, created and dropped here, seeded with teams.
import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import type { Db } from "../src/persistence/prisma-client.ts";

const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export async function createDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `leerlus_bench_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const dropper = new pg.Client({ connectionString: ADMIN_URL });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await dropper.end();
    },
  };
}

/** `projects` teams of `members`, every member reachable in the web chat; returns the project ids. */
export async function seed(db: Db, projects: number, members: number): Promise<string[]> {
  // Messages allowed around the clock: the run must not depend on the time of day.
  const organisation = await db.organisation.create({
    data: { name: "Gemeente Bench", locale: "nl", quietHoursEnd: 0, quietHoursStart: 24 * 60, quietWeekends: false },
  });
  const now = new Date();
  const teams = Array.from({ length: projects }, () => ({
    projectId: randomUUID(),
    people: Array.from({ length: members }, () => randomUUID()),
  }));
  const people = teams.flatMap((team) => team.people);
  await db.person.createMany({
    data: people.map((id, i) => ({ id, organisationId: organisation.id, displayName: `P ${i}`, roles: ["member"] })),
  });
  await db.chatIdentity.createMany({
    data: people.map((id) => ({
      personId: id,
      platform: "web",
      tenantId: organisation.id,
      platformUserId: id,
      conversationRef: `web:dm:${id}`,
    })),
  });
  await db.project.createMany({
    data: teams.map((team, p) => ({
      id: team.projectId,
      organisationId: organisation.id,
      name: `Project ${p}`,
      phase: "pilot",
      cadence: { kind: "minutes", every: 600 },
      answerWindowMinutes: 600,
      createdAt: now,
    })),
  });
  await db.projectChannel.createMany({
    data: teams.map((team) => ({
      projectId: team.projectId,
      platform: "web",
      conversationRef: `web:channel:${team.projectId}`,
    })),
  });
  await db.membership.createMany({
    data: teams.flatMap((team) =>
      team.people.map((personId) => ({ projectId: team.projectId, personId, role: "member", sector: "government" })),
    ),
  });
  const projectIds = teams.map((team) => team.projectId);
  return projectIds;
}
