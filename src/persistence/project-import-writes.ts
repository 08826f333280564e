// The writes of a project import, in batches of their own SQL: a 20 MB file holds a quarter of a
// million rows, which one statement per person or role would take many minutes to write.
// Each batch travels as one JSON parameter.
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { Locale } from "../domain/locale.ts";
import type { ImportedProject } from "../ports/project-admin-store.ts";
import type { Db } from "./database.ts";

const PEOPLE_PER_BATCH = 2000;
const MEMBERSHIPS_PER_BATCH = 5000;

function* batches<T>(items: readonly T[], fits: (batch: T[], next: T) => boolean): Generator<T[]> {
  let batch: T[] = [];
  for (const item of items) {
    if (batch.length > 0 && !fits(batch, item)) {
      yield batch;
      batch = [];
    }
    batch.push(item);
  }
  if (batch.length > 0) yield batch;
}

/** Finds people by email or creates them with their web chat identity; their ids by email. */
export async function upsertPeopleInBatches(
  db: Db,
  organisationId: string,
  people: readonly { email: string; displayName: string; locale: Locale | null }[],
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const unique = [...new Map(people.map((person) => [person.email, person])).values()];
  for (const batch of batches(unique, (current) => current.length < PEOPLE_PER_BATCH)) {
    const input = JSON.stringify(batch.map((person) => ({ ...person, id: randomUUID(), identityId: randomUUID() })));
    const rows = (
      await sql<{ id: string; email: string }>`
      WITH input AS (
        SELECT * FROM json_to_recordset(${input}::json)
          AS r(id text, "identityId" text, email text, "displayName" text, locale text)),
      existing AS (
        SELECT p.id, p.email FROM "Person" p JOIN input ON p.email = input.email
        WHERE p."organisationId" = ${organisationId}),
      created AS (
        INSERT INTO "Person" (id, "organisationId", "displayName", email, locale, "createdAt")
        SELECT id, ${organisationId}, "displayName", email, locale, now() AT TIME ZONE 'UTC' FROM input
        WHERE email NOT IN (SELECT email FROM existing)
        RETURNING id, email),
      identities AS (
        INSERT INTO "ChatIdentity" (id, "personId", platform, "tenantId", "platformUserId", "conversationRef")
        SELECT input."identityId", created.id, 'web', ${organisationId}, created.id, 'web:dm:' || created.id
        FROM created JOIN input ON input.id = created.id)
      SELECT id, email FROM existing UNION ALL SELECT id, email FROM created`.execute(db)
    ).rows;
    for (const row of rows) ids.set(row.email, row.id);
  }
  return ids;
}

/** Creates the projects, each with a web channel and its roles, a few thousand roles a batch. */
export async function createImportedProjects(db: Db, projects: readonly ImportedProject[]): Promise<number> {
  const fits = (batch: ImportedProject[], next: ImportedProject) =>
    batch.reduce((sum, project) => sum + project.memberships.length, next.memberships.length) <= MEMBERSHIPS_PER_BATCH;
  let created = 0;
  for (const batch of batches(projects, fits)) {
    const rows = batch.map(({ memberships, ...project }) => ({ ...project, id: randomUUID() }));
    const inserted = (
      await sql<{ id: string }>`
      INSERT INTO "Project" (id, "organisationId", name, phase, cadence, flags, "phaseSince", "createdAt")
      SELECT id, "organisationId", name, phase, cadence, flags, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
      FROM json_to_recordset(${JSON.stringify(rows)}::json)
        AS r(id text, "organisationId" text, name text, phase text, cadence jsonb, flags jsonb)
      RETURNING id`.execute(db)
    ).rows;
    created += inserted.length;
    const channels = rows.map(({ id }) => ({ id: randomUUID(), projectId: id, conversationRef: `web:channel:${id}` }));
    await sql`
      INSERT INTO "ProjectChannel" (id, "projectId", platform, "conversationRef")
      SELECT id, "projectId", 'web', "conversationRef"
      FROM json_to_recordset(${JSON.stringify(channels)}::json) AS r(id text, "projectId" text, "conversationRef" text)`.execute(
      db,
    );
    const memberships = batch.flatMap((project, index) =>
      project.memberships.map((membership) => ({ ...membership, id: randomUUID(), projectId: rows[index]?.id })),
    );
    await sql`
      INSERT INTO "Membership" (id, "projectId", "personId", role, discipline)
      SELECT id, "projectId", "personId", role, discipline
      FROM json_to_recordset(${JSON.stringify(memberships)}::json)
        AS r(id text, "projectId" text, "personId" text, role text, discipline text)
      ON CONFLICT ("projectId", "personId", role) DO NOTHING`.execute(db);
  }
  return created;
}
