import { sql } from "kysely";
import { toLocale } from "../domain/locale.ts";
import type { WebConversation, WebDirectory } from "../ports/web-message-store.ts";
import type { Db } from "./database.ts";

/** Who may see what in the local web chat: their direct messages and their projects' channels. */
export function createWebDirectoryRepository(db: Db): WebDirectory {
  const directory: WebDirectory = {
    async admit(personId) {
      const person = await directory.person(personId);
      if (!person) return null;
      // Same shape as imported and demo people: the web user id is the person id. Nothing
      // happens when they have one already (also when two sign-ins race).
      await db
        .insertInto("ChatIdentity")
        .values({
          personId,
          platform: "web",
          tenantId: person.organisationId,
          platformUserId: personId,
          conversationRef: `web:dm:${personId}`,
        })
        .onConflict((conflict) => conflict.doNothing())
        .execute();
      return person;
    },

    async person(personId) {
      const row = await db
        .selectFrom("Person as p")
        .innerJoin("Organisation as o", "o.id", "p.organisationId")
        .select(["p.id", "p.organisationId", "p.displayName", "p.locale", "o.locale as organisationLocale"])
        .where("p.id", "=", personId)
        .executeTakeFirst();
      if (!row) return null;
      return {
        id: row.id,
        organisationId: row.organisationId,
        displayName: row.displayName,
        locale: toLocale(row.locale, toLocale(row.organisationLocale)),
      };
    },

    async personas() {
      const rows = await db
        .selectFrom("Person as p")
        .innerJoin("Organisation as o", "o.id", "p.organisationId")
        .select((eb) => [
          "p.id",
          "p.displayName",
          "p.roles",
          "p.locale",
          "o.locale as organisationLocale",
          eb
            .selectFrom("Membership as m")
            .select(sql<string[]>`coalesce(array_agg(m.role ORDER BY m.id), '{}')`.as("roles"))
            .whereRef("m.personId", "=", "p.id")
            .as("projectRoles"),
        ])
        .orderBy("o.name")
        .orderBy("p.displayName")
        .execute();
      return rows.map((row) => ({
        id: row.id,
        displayName: row.displayName,
        roles: [...new Set([...(row.roles ?? []), ...(row.projectRoles ?? [])])],
        locale: toLocale(row.locale, toLocale(row.organisationLocale)),
      }));
    },

    async conversationsFor(personId) {
      const identity = await db
        .selectFrom("ChatIdentity")
        .select("conversationRef")
        .where("personId", "=", personId)
        .where("platform", "=", "web")
        .executeTakeFirst();
      const channels = await db
        .selectFrom("Membership as m")
        .innerJoin("Project as p", "p.id", "m.projectId")
        .innerJoin("ProjectChannel as c", "c.projectId", "p.id")
        .select(["c.conversationRef", "p.name"])
        .where("m.personId", "=", personId)
        .where("p.active", "=", true)
        .where("c.platform", "=", "web")
        .orderBy("p.name")
        .execute();
      const conversations: WebConversation[] = [];
      if (identity?.conversationRef)
        conversations.push({ ref: identity.conversationRef, kind: "direct", title: "Leerlus" });
      const seen = new Set<string>();
      for (const channel of channels) {
        if (seen.has(channel.conversationRef)) continue;
        seen.add(channel.conversationRef);
        conversations.push({ ref: channel.conversationRef, kind: "channel", title: channel.name });
      }
      return conversations;
    },
  };
  return directory;
}
