import { sql } from "kysely";
import { jsonArrayFrom, jsonObjectFrom } from "kysely/helpers/postgres";
import type { ChatAccount } from "../ports/directory-store.ts";
import type { PrivacyStore } from "../ports/privacy-store.ts";
import type { Db } from "./database.ts";

// The messages are found by conversation, which no index serves: give the erasure time.
const ERASURE_TIMEOUT_MS = 30_000;

const count = (result: { numDeletedRows: bigint } | { numUpdatedRows: bigint }) =>
  Number("numDeletedRows" in result ? result.numDeletedRows : result.numUpdatedRows);

/** JSON puts times as text (UTC, without a zone): the export shows them as Dates, as elsewhere. */
function withDates<Row extends Record<string, unknown>>(rows: Row[], keys: readonly (keyof Row)[]): Row[] {
  return rows.map((row) => {
    const copy: Record<string, unknown> = { ...row };
    for (const key of keys) {
      const value = row[key];
      if (typeof value === "string") copy[key as string] = new Date(`${value.replace(/Z?$/, "")}Z`);
    }
    return copy as Row;
  });
}

export function createPrivacyRepository(db: Db): PrivacyStore {
  return {
    async exportPerson(personId, responseKeys) {
      const person = await db
        .selectFrom("Person as p")
        .select((eb) => [
          "p.id",
          "p.displayName",
          "p.email",
          "p.locale",
          "p.timezone",
          "p.roles",
          "p.createdAt",
          jsonObjectFrom(
            eb.selectFrom("Organisation as o").select(["o.id", "o.name"]).whereRef("o.id", "=", "p.organisationId"),
          ).as("organisation"),
          jsonArrayFrom(
            eb
              .selectFrom("ChatIdentity as i")
              .select(["i.platform", "i.tenantId", "i.platformUserId"])
              .whereRef("i.personId", "=", "p.id")
              .orderBy("i.id"),
          ).as("identities"),
          jsonArrayFrom(
            eb
              .selectFrom("Absence as a")
              .select(["a.startsOn", "a.endsOn"])
              .whereRef("a.personId", "=", "p.id")
              .orderBy("a.id"),
          ).as("absences"),
          jsonArrayFrom(
            eb
              .selectFrom("Membership as m")
              .innerJoin("Project as pr", "pr.id", "m.projectId")
              .select([
                "m.projectId",
                "m.role",
                "m.discipline",
                "m.sector",
                sql<{ name: string }>`json_build_object('name', pr.name)`.as("project"),
              ])
              .whereRef("m.personId", "=", "p.id")
              .orderBy("m.id"),
          ).as("memberships"),
          jsonArrayFrom(
            eb
              .selectFrom("Delivery as d")
              .select(["d.cycleId", "d.answeredAt", "d.createdAt"])
              .whereRef("d.personId", "=", "p.id")
              .orderBy("d.id"),
          ).as("deliveries"),
          jsonArrayFrom(
            eb
              .selectFrom("ChannelEnrolment as e")
              .select(["e.projectId", "e.enrolledAt"])
              .whereRef("e.personId", "=", "p.id")
              .orderBy("e.projectId"),
          ).as("enrolments"),
          jsonArrayFrom(
            eb
              .selectFrom("ProjectGuest as g")
              .innerJoin("Project as gp", "gp.id", "g.projectId")
              .select(["g.projectId", "g.sector", "g.unsubscribedAt", "g.createdAt", "gp.name as projectName"])
              .whereRef("g.personId", "=", "p.id")
              .orderBy("g.createdAt"),
          ).as("guestOf"),
          jsonArrayFrom(
            eb
              .selectFrom("GuestMail as gm")
              .select(["gm.kind", "gm.cycleId", "gm.status", "gm.createdAt", "gm.sentAt"])
              .whereRef("gm.personId", "=", "p.id")
              .orderBy("gm.createdAt"),
          ).as("guestMails"),
          jsonArrayFrom(
            eb
              .selectFrom("ActionItem as x")
              .innerJoin("ActionOwner as w", "w.actionId", "x.id")
              .select(["x.id", "x.text", "x.status", "x.dueAt", "x.createdAt"])
              .whereRef("w.personId", "=", "p.id")
              .orderBy("x.id"),
          ).as("actions"),
        ])
        .where("p.id", "=", personId)
        .executeTakeFirst();
      if (!person) return null;
      const answers = await db
        .selectFrom("Answer")
        .select(["cycleId", "questionKey", "text", "score", "late", "createdAt", "updatedAt"])
        .where((eb) =>
          responseKeys.length > 0
            ? eb.or([eb("personId", "=", personId), eb("responseKey", "in", responseKeys)])
            : eb("personId", "=", personId),
        )
        .orderBy("createdAt")
        .execute();
      const audit = await db
        .selectFrom("AuditEvent")
        .select(["kind", "subject", "createdAt"])
        .where((eb) => eb.or([eb("actorId", "=", personId), eb("subject", "=", personId)]))
        .orderBy("createdAt")
        .execute();
      return {
        exportedAt: new Date().toISOString(),
        person: {
          id: person.id,
          displayName: person.displayName,
          // From an import, or read from Slack or Teams to link the person's accounts.
          email: person.email,
          locale: person.locale,
          timezone: person.timezone,
          roles: person.roles ?? [],
          createdAt: person.createdAt,
          organisation: person.organisation,
        },
        identities: person.identities,
        absences: withDates(person.absences, ["startsOn", "endsOn"]),
        memberships: person.memberships,
        /** Projects the channel's member list brought the person into (kept so `leave` lasts). */
        channelEnrolments: withDates(person.enrolments, ["enrolledAt"]),
        retroInvitations: withDates(person.deliveries, ["answeredAt", "createdAt"]),
        answers,
        actionsOwned: withDates(person.actions, ["dueAt", "createdAt"]),
        /** Projects the person answers retros of by email, as a guest, and the mails sent to them. */
        guestOf: withDates(person.guestOf, ["unsubscribedAt", "createdAt"]),
        guestMails: withDates(person.guestMails, ["createdAt", "sentAt"]),
        auditEvents: audit,
      };
    },

    async erasePerson(personId, responseKeys, erasedKey) {
      return db.transaction().execute(async (trx) => {
        await sql.raw(`SET LOCAL statement_timeout = ${ERASURE_TIMEOUT_MS}`).execute(trx);
        const answers = await trx
          .selectFrom("Answer")
          .select("id")
          .where((eb) =>
            responseKeys.length > 0
              ? eb.or([eb("personId", "=", personId), eb("responseKey", "in", responseKeys)])
              : eb("personId", "=", personId),
          )
          .execute();
        const answerIds = answers.map((answer) => answer.id);
        const unlink = async (table: "Lesson" | "ActionItem") =>
          answerIds.length === 0
            ? 0
            : count(
                await trx
                  .updateTable(table)
                  .set({ sourceAnswerId: null })
                  .where("sourceAnswerId", "in", answerIds)
                  .executeTakeFirst(),
              );
        const lessons = await unlink("Lesson");
        // Their actions lose them as an owner; the other owners keep theirs.
        const actions = count(await trx.deleteFrom("ActionOwner").where("personId", "=", personId).executeTakeFirst());
        await unlink("ActionItem");
        const deletedAnswers =
          answerIds.length === 0
            ? 0
            : count(await trx.deleteFrom("Answer").where("id", "in", answerIds).executeTakeFirst());
        // Forms shown to them, typed answers kept for undo (with the answer they replaced).
        if (responseKeys.length > 0)
          await trx.deleteFrom("FormInstance").where("ownerKey", "in", responseKeys).execute();
        // What was sent to them: the outbox's copies and the web chat's history.
        const directs = await trx
          .selectFrom("ChatIdentity")
          .select(["conversationRef", "platform", "tenantId", "platformUserId"])
          .where("personId", "=", personId)
          .execute();
        if (erasedKey && directs.length > 0) {
          await trx
            .insertInto("ErasedIdentity")
            .values(directs.map((identity) => ({ key: erasedKey(identity as ChatAccount) })))
            .onConflict((conflict) => conflict.doNothing())
            .execute();
        }
        const refs = directs.flatMap((identity) => (identity.conversationRef ? [identity.conversationRef] : []));
        const webUsers = directs
          .filter((identity) => identity.platform === "web")
          .map((identity) => identity.platformUserId);
        const sent =
          refs.length === 0
            ? []
            : await trx.deleteFrom("OutboxMessage").where("conversationRef", "in", refs).returning("bodyId").execute();
        const bodyIds = [...new Set(sent.map((message) => message.bodyId))];
        if (bodyIds.length > 0) {
          await trx
            .deleteFrom("OutboxBody as b")
            .where("b.id", "in", bodyIds)
            .where((eb) =>
              eb.not(eb.exists(eb.selectFrom("OutboxMessage as m").select("m.id").whereRef("m.bodyId", "=", "b.id"))),
            )
            .execute();
        }
        const webMessages =
          refs.length === 0 && webUsers.length === 0
            ? 0
            : count(
                await trx
                  .deleteFrom("WebMessage")
                  .where((eb) =>
                    eb.or([
                      ...(refs.length > 0 ? [eb("conversationRef", "in", refs)] : []),
                      ...(webUsers.length > 0 ? [eb("visibleTo", "in", webUsers)] : []),
                    ]),
                  )
                  .executeTakeFirst(),
              );
        const byPerson = async (table: "ChatIdentity" | "Delivery" | "Membership") =>
          count(await trx.deleteFrom(table).where("personId", "=", personId).executeTakeFirst());
        const identities = await byPerson("ChatIdentity");
        const deliveries = await byPerson("Delivery");
        const memberships = await byPerson("Membership");
        const people = count(await trx.deleteFrom("Person").where("id", "=", personId).executeTakeFirst());
        return {
          person: people,
          answers: deletedAnswers,
          identities,
          deliveries,
          messages: sent.length,
          webMessages,
          memberships,
          actionsUnassigned: actions,
          lessonsDelinked: lessons,
        };
      });
    },

    async deliveryIds(personId) {
      const rows = await db.selectFrom("Delivery").select("id").where("personId", "=", personId).execute();
      return rows.map((row) => row.id);
    },

    async deleteAnswersBefore(organisationId, before) {
      return db.transaction().execute(async (trx) => {
        const old = await trx
          .selectFrom("Answer as a")
          .innerJoin("RetroCycle as c", "c.id", "a.cycleId")
          .innerJoin("Project as p", "p.id", "c.projectId")
          .select("a.id")
          .where("c.closedAt", "<", before)
          .where("p.organisationId", "=", organisationId)
          .execute();
        const ids = old.map((answer) => answer.id);
        if (ids.length === 0) return 0;
        await trx.updateTable("Lesson").set({ sourceAnswerId: null }).where("sourceAnswerId", "in", ids).execute();
        await trx.updateTable("ActionItem").set({ sourceAnswerId: null }).where("sourceAnswerId", "in", ids).execute();
        return count(await trx.deleteFrom("Answer").where("id", "in", ids).executeTakeFirst());
      });
    },

    async deleteWebHistoryBefore(organisationId, before) {
      const channels = await db
        .selectFrom("ProjectChannel as c")
        .innerJoin("Project as p", "p.id", "c.projectId")
        .select("c.conversationRef")
        .where("c.platform", "=", "web")
        .where("p.organisationId", "=", organisationId)
        .execute();
      const directs = await db
        .selectFrom("ChatIdentity as i")
        .innerJoin("Person as p", "p.id", "i.personId")
        .select("i.conversationRef")
        .where("i.platform", "=", "web")
        .where("p.organisationId", "=", organisationId)
        .execute();
      const refs = [...channels, ...directs].flatMap((row) => (row.conversationRef ? [row.conversationRef] : []));
      if (refs.length === 0) return 0;
      return count(
        await db
          .deleteFrom("WebMessage")
          .where("conversationRef", "in", refs)
          .where("createdAt", "<", before)
          .executeTakeFirst(),
      );
    },

    async auditLog(organisationId, limit) {
      return db
        .selectFrom("AuditEvent")
        .select(["kind", "actorId", "subject", "createdAt"])
        .where("organisationId", "=", organisationId)
        .orderBy("createdAt", "desc")
        .limit(limit)
        .execute();
    },

    async retentionMonths(organisationId) {
      const row = await db
        .selectFrom("Organisation")
        .select("retentionMonths")
        .where("id", "=", organisationId)
        .executeTakeFirst();
      return row?.retentionMonths ?? null;
    },
  };
}
