import { toLocale } from "../domain/locale.ts";
import type { DirectoryStore } from "../ports/store.ts";
import type { DbClient } from "./client-types.ts";
import { personInclude, quietHoursOf, toPersonRecord } from "./person-mapping.ts";

async function adoptEmail(db: DbClient, personId: string, organisationId: string, email: string): Promise<void> {
  const lower = email.toLowerCase();
  const holder = await db.person.findUnique({
    where: { organisationId_email: { organisationId, email: lower } },
    select: { id: true },
  });
  if (!holder) await db.person.update({ where: { id: personId }, data: { email: lower } });
}

export function createDirectoryRepository(db: DbClient): DirectoryStore {
  return {
    async organisationForTenant(platform, tenantId) {
      const install = await db.install.findUnique({ where: { platform_tenantId: { platform, tenantId } } });
      return install?.organisationId ?? null;
    },

    async registerInstall(input) {
      const existing = await db.install.findUnique({
        where: { platform_tenantId: { platform: input.platform, tenantId: input.tenantId } },
      });
      if (existing) return { organisationId: existing.organisationId, created: false };
      const organisation = await db.organisation.create({
        data: { name: input.organisationName, locale: input.locale },
      });
      await db.install.createMany({
        data: [{ organisationId: organisation.id, platform: input.platform, tenantId: input.tenantId }],
        skipDuplicates: true,
      });
      const winner = await db.install.findUniqueOrThrow({
        where: { platform_tenantId: { platform: input.platform, tenantId: input.tenantId } },
      });
      // Another process installed at the same moment: keep its organisation, drop ours.
      if (winner.organisationId !== organisation.id) await db.organisation.delete({ where: { id: organisation.id } });
      return { organisationId: winner.organisationId, created: winner.organisationId === organisation.id };
    },

    async registerIdentity(input) {
      const key = { platform: input.platform, tenantId: input.tenantId, platformUserId: input.platformUserId };
      const identity = await db.chatIdentity.findUnique({ where: { platform_tenantId_platformUserId: key } });
      if (identity) {
        if (input.directRef && identity.conversationRef !== input.directRef) {
          await db.chatIdentity.update({ where: { id: identity.id }, data: { conversationRef: input.directRef } });
        }
        const person = await db.person.findUniqueOrThrow({ where: { id: identity.personId }, include: personInclude });
        // Someone first met without an email (Teams activities carry none) keeps the one a member
        // list gives later, so their other accounts can be linked by it; unless another person has it.
        if (input.email && !person.email) await adoptEmail(db, person.id, input.organisationId, input.email);
        // Teams may name someone only by their id at first; a real name replaces that stand-in.
        if (person.displayName === input.platformUserId && input.displayName !== input.platformUserId) {
          const named = await db.person.update({
            where: { id: person.id },
            data: { displayName: input.displayName },
            include: personInclude,
          });
          return toPersonRecord(named);
        }
        return toPersonRecord(person);
      }
      const imported = input.email
        ? await db.person.findUnique({
            where: { organisationId_email: { organisationId: input.organisationId, email: input.email.toLowerCase() } },
            include: { identities: { where: { platform: input.platform } } },
          })
        : null;
      if (imported && imported.identities.length === 0) {
        await db.chatIdentity.create({ data: { ...key, personId: imported.id, conversationRef: input.directRef } });
        const linked = await db.person.findUniqueOrThrow({ where: { id: imported.id }, include: personInclude });
        return toPersonRecord(linked);
      }
      try {
        const person = await db.person.create({
          data: {
            organisationId: input.organisationId,
            displayName: input.displayName,
            locale: input.locale,
            timezone: input.timezone,
            email: imported ? null : input.email?.toLowerCase(),
            roles: input.roles,
            identities: { create: { ...key, conversationRef: input.directRef } },
          },
          include: personInclude,
        });
        return toPersonRecord(person);
      } catch (error) {
        if ((error as { code?: unknown }).code !== "P2002") throw error;
        // The same first contact arrived twice at once (Teams sends installationUpdate and
        // conversationUpdate together): the other one made the person. Only the organisation's
        // founding install claims admin, so a claim lost in this race is applied to the winner.
        const winner = await db.chatIdentity.findUnique({ where: { platform_tenantId_platformUserId: key } });
        if (!winner) throw error;
        const person = await db.person.findUniqueOrThrow({ where: { id: winner.personId } });
        const missing = input.roles.filter((role) => !person.roles.includes(role));
        if (missing.length > 0) {
          await db.person.update({ where: { id: person.id }, data: { roles: { push: missing } } });
        }
        if (input.directRef && winner.conversationRef !== input.directRef) {
          await db.chatIdentity.update({ where: { id: winner.id }, data: { conversationRef: input.directRef } });
        }
        return toPersonRecord(await db.person.findUniqueOrThrow({ where: { id: person.id }, include: personInclude }));
      }
    },

    async personByIdentity(platform, tenantId, platformUserId) {
      const identity = await db.chatIdentity.findUnique({
        where: { platform_tenantId_platformUserId: { platform, tenantId, platformUserId } },
        include: { person: { include: personInclude } },
      });
      return identity ? toPersonRecord(identity.person) : null;
    },

    async person(personId) {
      const row = await db.person.findUnique({ where: { id: personId }, include: personInclude });
      return row ? toPersonRecord(row) : null;
    },

    async projectsOf(personId) {
      const rows = await db.membership.findMany({
        where: { personId, project: { active: true } },
        include: { project: { select: { name: true } } },
        orderBy: { project: { name: "asc" } },
      });
      return rows.map((row) => ({ projectId: row.projectId, name: row.project.name, role: row.role }));
    },

    async projectByChannel(address) {
      const row = await db.projectChannel.findUnique({
        where: { platform_conversationRef: { platform: address.platform, conversationRef: address.conversationRef } },
      });
      return row?.projectId ?? null;
    },

    async erasedAmong(keys) {
      if (keys.length === 0) return new Set();
      const rows = await db.erasedIdentity.findMany({ where: { key: { in: [...keys] } }, select: { key: true } });
      return new Set(rows.map((row) => row.key));
    },

    async advisers(organisationId) {
      const rows = await db.person.findMany({
        where: {
          organisationId,
          OR: [{ roles: { has: "adviser" } }, { memberships: { some: { role: "adviser" } } }],
        },
        include: personInclude,
        orderBy: { displayName: "asc" },
      });
      return rows.map(toPersonRecord);
    },

    async admins(organisationId) {
      const rows = await db.person.findMany({
        where: { organisationId, roles: { has: "admin" } },
        include: personInclude,
        orderBy: { displayName: "asc" },
      });
      return rows.map(toPersonRecord);
    },

    async addAbsence(personId, from, until) {
      await db.absence.create({ data: { personId, startsOn: from, endsOn: until } });
    },

    async endAbsences(personId, at) {
      await db.absence.deleteMany({ where: { personId, startsOn: { gt: at } } });
      const ended = await db.absence.updateMany({
        where: { personId, startsOn: { lte: at }, endsOn: { gt: at } },
        data: { endsOn: at },
      });
      return ended.count;
    },

    async activeProjectIds(organisationId) {
      const rows = await db.project.findMany({
        where: { active: true, ...(organisationId ? { organisationId } : {}) },
        select: { id: true },
        orderBy: { createdAt: "asc" },
      });
      return rows.map((row) => row.id);
    },

    async organisationIds() {
      const rows = await db.organisation.findMany({ select: { id: true }, orderBy: { createdAt: "asc" } });
      return rows.map((row) => row.id);
    },

    async organisation(organisationId) {
      const row = await db.organisation.findUnique({
        where: { id: organisationId },
        include: { daysOff: { select: { date: true }, orderBy: { date: "asc" } } },
      });
      if (!row) return null;
      return {
        id: row.id,
        name: row.name,
        locale: toLocale(row.locale),
        timezone: row.timezone,
        quiet: { ...quietHoursOf(row), daysOff: row.daysOff.map((day) => day.date.toISOString().slice(0, 10)) },
        minGroupSize: row.minGroupSize,
      };
    },
  };
}
