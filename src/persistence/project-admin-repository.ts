import { randomUUID } from "node:crypto";
import { toChannelLanguage } from "../domain/channel-language.ts";
import { toLocale } from "../domain/locale.ts";
import type { NewProject, ProjectAdminStore } from "../ports/project-admin-store.ts";
import type { DbClient } from "./client-types.ts";
import type { DriverSql } from "./driver-sql.ts";
import { createImportedProjects, upsertPeopleInBatches } from "./project-import-writes.ts";

export function createProjectAdminRepository(db: DbClient, sql: DriverSql): ProjectAdminStore {
  /** Creates the project with its channel and roles in one go (one statement, so all or nothing). */
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
    await db.project.create({
      data: {
        id,
        organisationId: project.organisationId,
        name: project.name,
        phase: project.phase,
        cadence: project.cadence,
        flags: project.flags ?? {},
        setupKey,
        channels: { create: channel },
        memberships: { createMany: { data: roles, skipDuplicates: true } },
      },
    });
    return id;
  }

  const bySetupKey = (setupKey: string) =>
    db.project.findUnique({ where: { setupKey }, select: { id: true, name: true } });
  return {
    async create(project) {
      return createProject(project, null);
    },

    async setUp(project, setupKey) {
      try {
        return { kind: "created", id: await createProject(project, setupKey) };
      } catch (error) {
        if ((error as { code?: unknown }).code !== "P2002") throw error;
        // The only other unique key a new project can hit is its channel's.
        const earlier = await bySetupKey(setupKey);
        return earlier ? { kind: "sent-before", ...earlier } : { kind: "channel-taken" };
      }
    },

    bySetupKey,

    async activeByName(organisationId, name) {
      return db.project.findFirst({
        where: { organisationId, active: true, name: { equals: name.trim(), mode: "insensitive" } },
        select: { id: true, name: true },
      });
    },

    async people(organisationId) {
      return db.person.findMany({
        where: { organisationId },
        select: { id: true, displayName: true },
        orderBy: { displayName: "asc" },
      });
    },

    async setRole(projectId, personId, role, present, discipline) {
      if (present) {
        await db.membership.createMany({
          data: [{ projectId, personId, role, discipline: discipline ?? null }],
          skipDuplicates: true,
        });
        if (discipline) await db.membership.updateMany({ where: { projectId, personId, role }, data: { discipline } });
      } else {
        await db.membership.deleteMany({ where: { projectId, personId, role } });
      }
    },

    async setDiscipline(projectId, personId, discipline) {
      await db.membership.updateMany({
        where: { projectId, personId, role: { in: ["member", "lead"] } },
        data: { discipline },
      });
    },

    async projectNames(organisationId) {
      const rows = await db.project.findMany({ where: { organisationId }, select: { name: true } });
      return rows.map((row) => row.name);
    },

    upsertPeople(organisationId, people) {
      return upsertPeopleInBatches(sql, organisationId, people);
    },

    createImported(projects) {
      return createImportedProjects(sql, projects);
    },

    async enrol(projectId, personIds) {
      if (personIds.length === 0) return [];
      // Only the rows this call inserted come back: of two syncs at once, one enrols each person.
      const created = await db.channelEnrolment.createManyAndReturn({
        data: personIds.map((personId) => ({ projectId, personId })),
        skipDuplicates: true,
        select: { personId: true },
      });
      return created.map((row) => row.personId);
    },

    async leave(projectId, personId) {
      return (await db.membership.deleteMany({ where: { projectId, personId } })).count;
    },

    async setAnonymous(projectId, anonymous) {
      await db.project.update({ where: { id: projectId }, data: { anonymous } });
    },

    async setLanguage(projectId, language) {
      await db.project.update({ where: { id: projectId }, data: { language } });
    },

    async language(projectId) {
      const row = await db.project.findUnique({
        where: { id: projectId },
        select: { language: true, organisation: { select: { locale: true } } },
      });
      return row ? toChannelLanguage(row.language, toLocale(row.organisation.locale)) : null;
    },

    async setAnswerWindow(projectId, minutes) {
      await db.project.update({ where: { id: projectId }, data: { answerWindowMinutes: minutes } });
    },

    async setPulseEvery(projectId, every) {
      await db.project.update({ where: { id: projectId }, data: { pulseEvery: every } });
    },

    async grantOrganisationRole(organisationId, personId, role) {
      // One statement, so two grants at once cannot list the role twice.
      const updated = await db.person.updateMany({
        where: { id: personId, organisationId, NOT: { roles: { has: role } } },
        data: { roles: { push: role } },
      });
      return updated.count > 0;
    },

    async setPersonSettings(personId, settings) {
      await db.person.update({ where: { id: personId }, data: settings });
    },

    async personSettings(personId) {
      return db.person.findUnique({ where: { id: personId }, select: { locale: true, timezone: true } });
    },
  };
}
