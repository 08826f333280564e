import { sql } from "kysely";
import { toLocale } from "../domain/locale.ts";
import type { DirectoryStore } from "../ports/directory-store.ts";
import { type Db, isUniqueViolation } from "./database.ts";
import { quietHoursOf, selectPeople, toPersonRecord } from "./person-mapping.ts";

async function adoptEmail(db: Db, personId: string, organisationId: string, email: string): Promise<void> {
  const lower = email.toLowerCase();
  const holder = await db
    .selectFrom("Person")
    .select("id")
    .where("organisationId", "=", organisationId)
    .where("email", "=", lower)
    .executeTakeFirst();
  if (!holder) await db.updateTable("Person").set({ email: lower }).where("id", "=", personId).execute();
}

export function createDirectoryRepository(db: Db): DirectoryStore {
  const install = (platform: string, tenantId: string) =>
    db
      .selectFrom("Install")
      .select("organisationId")
      .where("platform", "=", platform)
      .where("tenantId", "=", tenantId)
      .executeTakeFirst();
  const identity = (key: { platform: string; tenantId: string; platformUserId: string }) =>
    db
      .selectFrom("ChatIdentity")
      .select(["id", "personId", "conversationRef"])
      .where("platform", "=", key.platform)
      .where("tenantId", "=", key.tenantId)
      .where("platformUserId", "=", key.platformUserId)
      .executeTakeFirst();
  const personRow = (personId: string) => selectPeople(db).where("p.id", "=", personId).executeTakeFirstOrThrow();
  const setConversation = (identityId: string, conversationRef: string) =>
    db.updateTable("ChatIdentity").set({ conversationRef }).where("id", "=", identityId).execute();

  /** Adds the roles the person lacks, in one statement, so claims at the same moment all count. */
  const claimRoles = (personId: string, roles: readonly string[]) =>
    db
      .updateTable("Person")
      .set({ roles: sql`roles || ARRAY(SELECT unnest(${[...roles]}::text[]) EXCEPT SELECT unnest(roles))` })
      .where("id", "=", personId)
      .where(sql<boolean>`NOT (${[...roles]}::text[] <@ roles)`)
      .execute();

  return {
    async organisationForTenant(platform, tenantId) {
      return (await install(platform, tenantId))?.organisationId ?? null;
    },

    async registerInstall(input) {
      const existing = await install(input.platform, input.tenantId);
      if (existing) return { organisationId: existing.organisationId, created: false };
      const organisation = await db
        .insertInto("Organisation")
        .values({ name: input.organisationName, locale: input.locale })
        .returning("id")
        .executeTakeFirstOrThrow();
      await db
        .insertInto("Install")
        .values({ organisationId: organisation.id, platform: input.platform, tenantId: input.tenantId })
        .onConflict((conflict) => conflict.doNothing())
        .execute();
      const winner = await install(input.platform, input.tenantId);
      if (!winner) throw new Error(`the install of ${input.platform} ${input.tenantId} vanished`);
      // Another process installed at the same moment: keep its organisation, drop ours.
      if (winner.organisationId !== organisation.id)
        await db.deleteFrom("Organisation").where("id", "=", organisation.id).execute();
      return { organisationId: winner.organisationId, created: winner.organisationId === organisation.id };
    },

    async registerIdentity(input) {
      const key = { platform: input.platform, tenantId: input.tenantId, platformUserId: input.platformUserId };
      const known = await identity(key);
      if (known) {
        if (input.directRef && known.conversationRef !== input.directRef)
          await setConversation(known.id, input.directRef);
        // The founding install's claim to admin can arrive after another first contact of the
        // same person already made them (Teams sends two at once): it still counts.
        await claimRoles(known.personId, input.roles);
        const person = await personRow(known.personId);
        // Someone first met without an email (Teams activities carry none) keeps the one a member
        // list gives later, so their other accounts can be linked by it; unless another person has it.
        if (input.email && !person.email) await adoptEmail(db, person.id, input.organisationId, input.email);
        // Teams may name someone only by their id at first; a real name replaces that stand-in.
        if (person.displayName === input.platformUserId && input.displayName !== input.platformUserId) {
          await db.updateTable("Person").set({ displayName: input.displayName }).where("id", "=", person.id).execute();
          return toPersonRecord({ ...person, displayName: input.displayName });
        }
        return toPersonRecord(person);
      }
      const imported = input.email
        ? await db
            .selectFrom("Person as p")
            .select((eb) => [
              "p.id",
              eb
                .exists(
                  eb
                    .selectFrom("ChatIdentity as i")
                    .select("i.id")
                    .whereRef("i.personId", "=", "p.id")
                    .where("i.platform", "=", input.platform),
                )
                .as("linked"),
            ])
            .where("p.organisationId", "=", input.organisationId)
            .where("p.email", "=", input.email.toLowerCase())
            .executeTakeFirst()
        : undefined;
      if (imported && !imported.linked) {
        await db
          .insertInto("ChatIdentity")
          .values({ ...key, personId: imported.id, conversationRef: input.directRef ?? null })
          .execute();
        return toPersonRecord(await personRow(imported.id));
      }
      try {
        // One statement, so a person is never left without the identity that found them.
        const created = await db
          .with("person", (w) =>
            w
              .insertInto("Person")
              .values({
                organisationId: input.organisationId,
                displayName: input.displayName,
                locale: input.locale ?? null,
                timezone: input.timezone ?? null,
                email: imported ? null : (input.email?.toLowerCase() ?? null),
                roles: input.roles,
              })
              .returning("id"),
          )
          .insertInto("ChatIdentity")
          .columns(["personId", "platform", "tenantId", "platformUserId", "conversationRef"])
          .expression((eb) =>
            eb
              .selectFrom("person")
              .select([
                "person.id",
                sql<string>`${key.platform}::text`.as("platform"),
                sql<string>`${key.tenantId}::text`.as("tenantId"),
                sql<string>`${key.platformUserId}::text`.as("platformUserId"),
                sql<string | null>`${input.directRef ?? null}::text`.as("conversationRef"),
              ]),
          )
          .returning("personId")
          .executeTakeFirstOrThrow();
        return toPersonRecord(await personRow(created.personId));
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        // The same first contact arrived twice at once (Teams sends installationUpdate and
        // conversationUpdate together): the other one made the person. Only the organisation's
        // founding install claims admin, so a claim lost in this race is applied to the winner.
        const winner = await identity(key);
        if (!winner) throw error;
        await claimRoles(winner.personId, input.roles);
        if (input.directRef && winner.conversationRef !== input.directRef)
          await setConversation(winner.id, input.directRef);
        return toPersonRecord(await personRow(winner.personId));
      }
    },

    async personByIdentity(platform, tenantId, platformUserId) {
      const known = await identity({ platform, tenantId, platformUserId });
      return known ? toPersonRecord(await personRow(known.personId)) : null;
    },

    async person(personId) {
      const row = await selectPeople(db).where("p.id", "=", personId).executeTakeFirst();
      return row ? toPersonRecord(row) : null;
    },

    async projectsOf(personId) {
      return db
        .selectFrom("Membership as m")
        .innerJoin("Project as p", "p.id", "m.projectId")
        .select(["m.projectId", "p.name", "m.role"])
        .where("m.personId", "=", personId)
        .where("p.active", "=", true)
        .orderBy("p.name")
        .execute();
    },

    async projectByChannel(address) {
      const row = await db
        .selectFrom("ProjectChannel")
        .select("projectId")
        .where("platform", "=", address.platform)
        .where("conversationRef", "=", address.conversationRef)
        .executeTakeFirst();
      return row?.projectId ?? null;
    },

    async erasedAmong(keys) {
      if (keys.length === 0) return new Set();
      const rows = await db
        .selectFrom("ErasedIdentity")
        .select("key")
        .where("key", "in", [...keys])
        .execute();
      return new Set(rows.map((row) => row.key));
    },

    async advisers(organisationId) {
      const rows = await selectPeople(db)
        .where("p.organisationId", "=", organisationId)
        .where((eb) =>
          eb.or([
            sql<boolean>`'adviser' = ANY(p.roles)`,
            eb.exists(
              eb
                .selectFrom("Membership as m")
                .select("m.id")
                .whereRef("m.personId", "=", "p.id")
                .where("m.role", "=", "adviser"),
            ),
          ]),
        )
        .orderBy("p.displayName")
        .execute();
      return rows.map(toPersonRecord);
    },

    async admins(organisationId) {
      const rows = await selectPeople(db)
        .where("p.organisationId", "=", organisationId)
        .where(sql<boolean>`'admin' = ANY(p.roles)`)
        .orderBy("p.displayName")
        .execute();
      return rows.map(toPersonRecord);
    },

    async addAbsence(personId, from, until) {
      await db.insertInto("Absence").values({ personId, startsOn: from, endsOn: until }).execute();
    },

    async endAbsences(personId, at) {
      await db.deleteFrom("Absence").where("personId", "=", personId).where("startsOn", ">", at).execute();
      const ended = await db
        .updateTable("Absence")
        .set({ endsOn: at })
        .where("personId", "=", personId)
        .where("startsOn", "<=", at)
        .where("endsOn", ">", at)
        .executeTakeFirst();
      return Number(ended.numUpdatedRows);
    },

    async activeProjectIds(organisationId) {
      let query = db.selectFrom("Project").select("id").where("active", "=", true);
      if (organisationId) query = query.where("organisationId", "=", organisationId);
      const rows = await query.orderBy("createdAt").execute();
      return rows.map((row) => row.id);
    },

    async organisationIds() {
      const rows = await db.selectFrom("Organisation").select("id").orderBy("createdAt").execute();
      return rows.map((row) => row.id);
    },

    async organisation(organisationId) {
      const row = await db
        .selectFrom("Organisation as o")
        .select((eb) => [
          "o.id",
          "o.name",
          "o.locale",
          "o.timezone",
          "o.quietHoursEnd",
          "o.quietHoursStart",
          "o.quietWeekends",
          "o.minGroupSize",
          eb
            .selectFrom("OrganisationDayOff as d")
            .select(sql<string[]>`coalesce(array_agg(to_char(d.date, 'YYYY-MM-DD') ORDER BY d.date), '{}')`.as("days"))
            .whereRef("d.organisationId", "=", "o.id")
            .as("daysOff"),
        ])
        .where("o.id", "=", organisationId)
        .executeTakeFirst();
      if (!row) return null;
      return {
        id: row.id,
        name: row.name,
        locale: toLocale(row.locale),
        timezone: row.timezone,
        quiet: { ...quietHoursOf(row), daysOff: row.daysOff ?? [] },
        minGroupSize: row.minGroupSize,
      };
    },
  };
}
