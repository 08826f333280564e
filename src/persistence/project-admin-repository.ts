import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { toChannelLanguage } from "../domain/channel-language.ts";
import { toLocale } from "../domain/locale.ts";
import type { NewProject, ProjectAdminStore } from "../ports/project-admin-store.ts";
import { type Db, isUniqueViolation, json } from "./database.ts";
import { createImportedProjects, upsertPeopleInBatches } from "./project-import-writes.ts";

export function createProjectAdminRepository(db: Db): ProjectAdminStore {
  /** Creates the project with its channel and roles in one statement, so all or nothing. */
  async function createProject(project: NewProject, setupKey: string | null): Promise<string> {
    const id = randomUUID();
    const channel = project.channel ?? { platform: "web" as const, conversationRef: `web:channel:${id}` };
    const roles = [
      { personId: project.leadId, role: "lead" },
      ...project.memberIds
        .filter((personId) => personId !== project.leadId)
        .map((personId) => ({ personId, role: "member" })),
      ...project.managerIds.map((personId) => ({ personId, role: "manager" })),
      ...project.adviserIds.map((personId) => ({ personId, role: "adviser" })),
    ];
    await sql`
      WITH project AS (
        INSERT INTO "Project" (id, "organisationId", name, phase, cadence, flags, "setupKey")
        VALUES (${id}, ${project.organisationId}, ${project.name}, ${project.phase}, ${json(project.cadence)}::jsonb,
          ${json(project.flags ?? {})}::jsonb, ${setupKey})
        RETURNING id),
      channel AS (
        INSERT INTO "ProjectChannel" ("projectId", platform, "conversationRef")
        SELECT id, ${channel.platform}, ${channel.conversationRef} FROM project)
      INSERT INTO "Membership" ("projectId", "personId", role)
      SELECT project.id, r.person, r.role
      FROM project, unnest(${roles.map((role) => role.personId)}::text[], ${roles.map((role) => role.role)}::text[])
        AS r(person, role)
      ON CONFLICT ("projectId", "personId", role) DO NOTHING`.execute(db);
    return id;
  }

  const bySetupKey = async (setupKey: string) =>
    (await db.selectFrom("Project").select(["id", "name"]).where("setupKey", "=", setupKey).executeTakeFirst()) ?? null;
  const setProject = (
    projectId: string,
    changes: { anonymous?: boolean; answerWindowMinutes?: number; language?: string | null; pulseEvery?: number },
  ) => db.updateTable("Project").set(changes).where("id", "=", projectId).execute();
  return {
    async create(project) {
      return createProject(project, null);
    },

    async setUp(project, setupKey) {
      try {
        return { kind: "created", id: await createProject(project, setupKey) };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        // The only other unique key a new project can hit is its channel's.
        const earlier = await bySetupKey(setupKey);
        return earlier ? { kind: "sent-before", ...earlier } : { kind: "channel-taken" };
      }
    },

    bySetupKey,

    async activeByName(organisationId, name) {
      const row = await db
        .selectFrom("Project")
        .select(["id", "name"])
        .where("organisationId", "=", organisationId)
        .where("active", "=", true)
        .where(sql<boolean>`lower(name) = lower(${name.trim()})`)
        .limit(1)
        .executeTakeFirst();
      return row ?? null;
    },

    async people(organisationId, platform) {
      if (!platform) {
        return db
          .selectFrom("Person")
          .select(["id", "displayName"])
          .where("organisationId", "=", organisationId)
          .orderBy("displayName")
          .execute();
      }
      return db
        .selectFrom("Person")
        .select((eb) => [
          "Person.id",
          "Person.displayName",
          eb
            .selectFrom("ChatIdentity")
            .select((inner) => inner.fn.min("ChatIdentity.platformUserId").as("account"))
            .whereRef("ChatIdentity.personId", "=", "Person.id")
            .where("ChatIdentity.platform", "=", platform)
            .as("account"),
        ])
        .where("Person.organisationId", "=", organisationId)
        .orderBy("Person.displayName")
        .execute();
    },

    async setRole(projectId, personId, role, present, discipline) {
      if (present) {
        await db
          .insertInto("Membership")
          .values({ projectId, personId, role, discipline: discipline ?? null })
          .onConflict((conflict) => conflict.doNothing())
          .execute();
        if (discipline)
          await db
            .updateTable("Membership")
            .set({ discipline })
            .where("projectId", "=", projectId)
            .where("personId", "=", personId)
            .where("role", "=", role)
            .execute();
      } else {
        await db
          .deleteFrom("Membership")
          .where("projectId", "=", projectId)
          .where("personId", "=", personId)
          .where("role", "=", role)
          .execute();
      }
    },

    async setDiscipline(projectId, personId, discipline) {
      await db
        .updateTable("Membership")
        .set({ discipline })
        .where("projectId", "=", projectId)
        .where("personId", "=", personId)
        .where("role", "in", ["member", "lead"])
        .execute();
    },

    async projectNames(organisationId) {
      const rows = await db.selectFrom("Project").select("name").where("organisationId", "=", organisationId).execute();
      return rows.map((row) => row.name);
    },

    upsertPeople(organisationId, people) {
      return upsertPeopleInBatches(db, organisationId, people);
    },

    createImported(projects) {
      return createImportedProjects(db, projects);
    },

    async enrol(projectId, personIds) {
      if (personIds.length === 0) return [];
      // Only the rows this call inserted come back: of two syncs at once, one enrols each person.
      const created = await db
        .insertInto("ChannelEnrolment")
        .values(personIds.map((personId) => ({ projectId, personId })))
        .onConflict((conflict) => conflict.doNothing())
        .returning("personId")
        .execute();
      return created.map((row) => row.personId);
    },

    async leave(projectId, personId) {
      const result = await db
        .deleteFrom("Membership")
        .where("projectId", "=", projectId)
        .where("personId", "=", personId)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async setAnonymous(projectId, anonymous) {
      await setProject(projectId, { anonymous });
    },

    async setLanguage(projectId, language) {
      await setProject(projectId, { language });
    },

    async language(projectId) {
      const row = await db
        .selectFrom("Project as p")
        .innerJoin("Organisation as o", "o.id", "p.organisationId")
        .select(["p.language", "o.locale"])
        .where("p.id", "=", projectId)
        .executeTakeFirst();
      return row ? toChannelLanguage(row.language, toLocale(row.locale)) : null;
    },

    async setAnswerWindow(projectId, minutes) {
      await setProject(projectId, { answerWindowMinutes: minutes });
    },

    async setPulseEvery(projectId, every) {
      await setProject(projectId, { pulseEvery: every });
    },

    async grantOrganisationRole(organisationId, personId, role) {
      // One statement, so two grants at once cannot list the role twice.
      const result = await db
        .updateTable("Person")
        .set({ roles: sql`array_append(roles, ${role}::text)` })
        .where("id", "=", personId)
        .where("organisationId", "=", organisationId)
        .where(sql<boolean>`NOT (${role}::text = ANY(coalesce(roles, '{}')))`)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async setPersonSettings(personId, settings) {
      const changes = {
        ...(settings.locale === undefined ? {} : { locale: settings.locale }),
        ...(settings.timezone === undefined ? {} : { timezone: settings.timezone }),
      };
      if (Object.keys(changes).length === 0) return;
      await db.updateTable("Person").set(changes).where("id", "=", personId).execute();
    },

    async personSettings(personId) {
      const row = await db
        .selectFrom("Person")
        .select(["locale", "timezone"])
        .where("id", "=", personId)
        .executeTakeFirst();
      return row ?? null;
    },
  };
}
