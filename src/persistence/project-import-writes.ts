// The writes of a project import, in batches: a 20 MB file holds a quarter of a million
// rows, which one statement per person or role would take many minutes to write.
import { randomUUID } from "node:crypto";
import type { Locale } from "../domain/locale.ts";
import type { ImportedProject } from "../ports/project-admin-store.ts";
import type { DbClient } from "./client-types.ts";

const PEOPLE_PER_BATCH = 1000;
const MEMBERSHIPS_PER_BATCH = 2000;

function* batches<T>(items: readonly T[], size: (batch: T[], next: T) => boolean): Generator<T[]> {
  let batch: T[] = [];
  for (const item of items) {
    if (batch.length > 0 && !size(batch, item)) {
      yield batch;
      batch = [];
    }
    batch.push(item);
  }
  if (batch.length > 0) yield batch;
}

/** Finds people by email or creates them with their web chat identity; their ids by email. */
export async function upsertPeopleInBatches(
  db: DbClient,
  organisationId: string,
  people: readonly { email: string; displayName: string; locale: Locale | null }[],
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const batch of batches(people, (current) => current.length < PEOPLE_PER_BATCH)) {
    const existing = await db.person.findMany({
      where: { organisationId, email: { in: batch.map((person) => person.email) } },
      select: { id: true, email: true },
    });
    for (const row of existing) if (row.email) ids.set(row.email, row.id);
    const fresh = batch.filter((person) => !ids.has(person.email)).map((person) => ({ ...person, id: randomUUID() }));
    if (fresh.length === 0) continue;
    await db.person.createMany({
      data: fresh.map(({ id, displayName, email, locale }) => ({ id, organisationId, displayName, email, locale })),
    });
    await db.chatIdentity.createMany({
      data: fresh.map(({ id }) => ({
        personId: id,
        platform: "web",
        tenantId: organisationId,
        platformUserId: id,
        conversationRef: `web:dm:${id}`,
      })),
    });
    for (const person of fresh) ids.set(person.email, person.id);
  }
  return ids;
}

/** Creates the projects, each with a web channel and its roles, a few thousand roles a statement. */
export async function createImportedProjects(db: DbClient, projects: readonly ImportedProject[]): Promise<number> {
  const fits = (batch: ImportedProject[], next: ImportedProject) =>
    batch.reduce((sum, project) => sum + project.memberships.length, next.memberships.length) <= MEMBERSHIPS_PER_BATCH;
  let created = 0;
  for (const batch of batches(projects, fits)) {
    const rows = batch.map((project) => ({ ...project, id: randomUUID() }));
    const result = await db.project.createMany({
      data: rows.map(({ id, organisationId, name, phase, cadence, flags }) => ({
        id,
        organisationId,
        name,
        phase,
        cadence,
        flags,
      })),
    });
    created += result.count;
    await db.projectChannel.createMany({
      data: rows.map(({ id }) => ({ projectId: id, platform: "web", conversationRef: `web:channel:${id}` })),
    });
    await db.membership.createMany({
      data: rows.flatMap(({ id, memberships }) => memberships.map((membership) => ({ projectId: id, ...membership }))),
      skipDuplicates: true,
    });
  }
  return created;
}
