import { toLocale } from "../domain/locale.ts";
import type { WebConversation, WebDirectory } from "../ports/web-message-store.ts";
import type { Db } from "./prisma-client.ts";

/** Who may see what in the local web chat: their direct messages and their projects' channels. */
export function createWebDirectoryRepository(db: Db): WebDirectory {
  const directory: WebDirectory = {
    async admit(personId) {
      const person = await directory.person(personId);
      if (!person) return null;
      // Same shape as imported and demo people: the web user id is the person id. Nothing
      // happens when they have one already (also when two sign-ins race).
      await db.chatIdentity.createMany({
        data: [
          {
            personId,
            platform: "web",
            tenantId: person.organisationId,
            platformUserId: personId,
            conversationRef: `web:dm:${personId}`,
          },
        ],
        skipDuplicates: true,
      });
      return person;
    },

    async person(personId) {
      const row = await db.person.findUnique({ where: { id: personId }, include: { organisation: true } });
      if (!row) return null;
      return {
        id: row.id,
        organisationId: row.organisationId,
        displayName: row.displayName,
        locale: toLocale(row.locale, toLocale(row.organisation.locale)),
      };
    },

    async personas() {
      const rows = await db.person.findMany({
        include: { organisation: true, memberships: { select: { role: true } } },
        orderBy: [{ organisation: { name: "asc" } }, { displayName: "asc" }],
      });
      return rows.map((row) => ({
        id: row.id,
        displayName: row.displayName,
        roles: [...new Set([...row.roles, ...row.memberships.map((membership) => membership.role)])],
        locale: toLocale(row.locale, toLocale(row.organisation.locale)),
      }));
    },

    async conversationsFor(personId) {
      const identity = await db.chatIdentity.findUnique({
        where: { personId_platform: { personId, platform: "web" } },
      });
      const memberships = await db.membership.findMany({
        where: { personId, project: { active: true } },
        include: { project: { include: { channels: { where: { platform: "web" } } } } },
        orderBy: { project: { name: "asc" } },
      });
      const conversations: WebConversation[] = [];
      if (identity?.conversationRef)
        conversations.push({ ref: identity.conversationRef, kind: "direct", title: "Leerlus" });
      const seen = new Set<string>();
      for (const membership of memberships) {
        for (const channel of membership.project.channels) {
          if (seen.has(channel.conversationRef)) continue;
          seen.add(channel.conversationRef);
          conversations.push({ ref: channel.conversationRef, kind: "channel", title: membership.project.name });
        }
      }
      return conversations;
    },
  };
  return directory;
}
