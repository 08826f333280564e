import { sql } from "kysely";
import { toLocale } from "../domain/locale.ts";
import type { Sector } from "../domain/role.ts";
import type { GuestMailKind, GuestRecord, GuestStore, SectorParticipation } from "../ports/guest-store.ts";
import type { Db } from "./database.ts";

const changed = (result: { numUpdatedRows?: bigint; numDeletedRows?: bigint; numInsertedOrUpdatedRows?: bigint }) =>
  Number(result.numUpdatedRows ?? result.numDeletedRows ?? result.numInsertedOrUpdatedRows ?? 0) > 0;

export function createGuestRepository(db: Db): GuestStore {
  const selectGuests = () =>
    db
      .selectFrom("ProjectGuest as g")
      .innerJoin("Person as p", "p.id", "g.personId")
      .innerJoin("Organisation as o", "o.id", "p.organisationId")
      .select([
        "g.projectId",
        "g.personId",
        "p.email",
        "p.locale",
        "o.locale as organisationLocale",
        "g.sector",
        "g.unsubscribedAt",
        "g.createdAt",
      ]);
  const toGuest = (row: Awaited<ReturnType<ReturnType<typeof selectGuests>["executeTakeFirstOrThrow"]>>) =>
    ({
      projectId: row.projectId,
      personId: row.personId,
      email: row.email ?? "",
      locale: toLocale(row.locale, toLocale(row.organisationLocale)),
      sector: row.sector as Sector | null,
      unsubscribedAt: row.unsubscribedAt,
      createdAt: row.createdAt,
    }) satisfies GuestRecord;

  return {
    async personByEmail(organisationId, email) {
      const row = await db
        .selectFrom("Person as p")
        .select((eb) => [
          "p.id",
          eb.exists(eb.selectFrom("ChatIdentity as i").select("i.id").whereRef("i.personId", "=", "p.id")).as("inChat"),
        ])
        .where("p.organisationId", "=", organisationId)
        .where("p.email", "=", email)
        .executeTakeFirst();
      return row ? { id: row.id, inChat: Boolean(row.inChat) } : null;
    },

    async createGuestPerson({ organisationId, email, locale, at }) {
      // Two leads adding the same address at once: the second finds the first's person.
      const inserted = await db
        .insertInto("Person")
        .values({ organisationId, email, locale, displayName: email.split("@")[0] ?? email, roles: [], createdAt: at })
        .onConflict((conflict) => conflict.columns(["organisationId", "email"]).doNothing())
        .returning("id")
        .executeTakeFirst();
      if (inserted) return inserted.id;
      const found = await db
        .selectFrom("Person")
        .select("id")
        .where("organisationId", "=", organisationId)
        .where("email", "=", email)
        .executeTakeFirstOrThrow();
      return found.id;
    },

    async addGuest({ projectId, personId, sector, at }) {
      const result = await db
        .insertInto("ProjectGuest")
        .values({ projectId, personId, sector, createdAt: at })
        .onConflict((conflict) => conflict.columns(["projectId", "personId"]).doNothing())
        .executeTakeFirst();
      return changed(result);
    },

    async removeGuest(projectId, personId) {
      const removed = await db
        .deleteFrom("ProjectGuest")
        .where("projectId", "=", projectId)
        .where("personId", "=", personId)
        .executeTakeFirst();
      await dropWaiting(db, projectId, personId, "GUEST_REMOVED");
      return changed(removed);
    },

    async guests(projectId) {
      const rows = await selectGuests().where("g.projectId", "=", projectId).orderBy("p.email").execute();
      return rows.map(toGuest);
    },

    async guest(projectId, personId) {
      const row = await selectGuests()
        .where("g.projectId", "=", projectId)
        .where("g.personId", "=", personId)
        .executeTakeFirst();
      return row ? toGuest(row) : null;
    },

    async activeGuests(projectIds) {
      if (projectIds.length === 0) return [];
      return db
        .selectFrom("ProjectGuest")
        .select(["projectId", "personId"])
        .where("projectId", "in", [...projectIds])
        .where("unsubscribedAt", "is", null)
        .orderBy("createdAt")
        .execute();
    },

    async unsubscribe(projectId, personId, at) {
      const result = await db
        .updateTable("ProjectGuest")
        .set({ unsubscribedAt: at })
        .where("projectId", "=", projectId)
        .where("personId", "=", personId)
        .where("unsubscribedAt", "is", null)
        .executeTakeFirst();
      await dropWaiting(db, projectId, personId, "UNSUBSCRIBED");
      return changed(result);
    },

    async queueMails(mails) {
      if (mails.length === 0) return;
      await db
        .insertInto("GuestMail")
        .values(mails.map((mail) => ({ ...mail })))
        .onConflict((conflict) => conflict.column("key").doNothing())
        .execute();
    },

    async claimDueMails(now, leaseMs, limit) {
      const until = new Date(now.getTime() + leaseMs);
      // SKIP LOCKED: two senders never take the same mail; a lapsed claim (a crashed sender) is taken again.
      const rows = await db
        .updateTable("GuestMail")
        .set((eb) => ({ claimedUntil: until, attempts: eb("attempts", "+", 1) }))
        .where(
          "id",
          "in",
          db
            .selectFrom("GuestMail")
            .select("id")
            .where("status", "=", "pending")
            .where("notBefore", "<=", now)
            .where((eb) => eb.or([eb("claimedUntil", "is", null), eb("claimedUntil", "<", now)]))
            .orderBy("notBefore")
            .limit(limit)
            .forUpdate()
            .skipLocked(),
        )
        .returning(["id", "key", "organisationId", "personId", "cycleId", "kind", "notBefore", "attempts"])
        .execute();
      return rows.map((row) => ({ ...row, kind: row.kind as GuestMailKind }));
    },

    async settleMail(id, outcome) {
      await db
        .updateTable("GuestMail")
        .set(
          outcome.status === "sent"
            ? { status: "sent", sentAt: outcome.at, claimedUntil: null, lastError: null }
            : outcome.status === "pending"
              ? { status: "pending", notBefore: outcome.notBefore, claimedUntil: null, lastError: outcome.error }
              : { status: outcome.status, claimedUntil: null, lastError: outcome.error },
        )
        .where("id", "=", id)
        .execute();
    },

    async pruneMails(organisationId, before) {
      const result = await db
        .deleteFrom("GuestMail")
        .where("organisationId", "=", organisationId)
        .where("status", "<>", "pending")
        .where("notBefore", "<", before)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async sectorParticipation(organisationId, from, to) {
      // A guest's sector is theirs in the project; a member's the one their membership names.
      const { rows } = await sql<SectorParticipation[number]>`
        SELECT s.sector, count(DISTINCT d."personId")::int AS people, count(d.id)::int AS invited,
               count(d."answeredAt")::int AS answered
        FROM "RetroCycle" c
        JOIN "Project" p ON p.id = c."projectId"
        JOIN "Delivery" d ON d."cycleId" = c.id
        CROSS JOIN LATERAL (
          SELECT coalesce(
            (SELECT g.sector FROM "ProjectGuest" g WHERE g."projectId" = p.id AND g."personId" = d."personId"),
            (SELECT max(m.sector) FROM "Membership" m
             WHERE m."projectId" = p.id AND m."personId" = d."personId" AND m.role IN ('member', 'lead'))
          ) AS sector
        ) s
        WHERE p."organisationId" = ${organisationId} AND c.status = 'closed'
          AND c."closedAt" >= ${from} AND c."closedAt" < ${to} AND s.sector IS NOT NULL
        GROUP BY s.sector
        ORDER BY s.sector`.execute(db);
      return rows;
    },

    async formerGuests(organisationId, before) {
      const rows = await db
        .selectFrom("Person as p")
        .select("p.id")
        .where("p.organisationId", "=", organisationId)
        .where("p.email", "is not", null)
        .where(sql<boolean>`cardinality(p.roles) = 0`)
        .where("p.createdAt", "<", before)
        .where((eb) =>
          eb.and([
            eb.not(eb.exists(eb.selectFrom("ChatIdentity as i").select("i.id").whereRef("i.personId", "=", "p.id"))),
            eb.not(eb.exists(eb.selectFrom("Membership as m").select("m.id").whereRef("m.personId", "=", "p.id"))),
            eb.not(
              eb.exists(
                eb
                  .selectFrom("ProjectGuest as g")
                  .select("g.personId")
                  .whereRef("g.personId", "=", "p.id")
                  .where((inner) =>
                    inner.or([inner("g.unsubscribedAt", "is", null), inner("g.unsubscribedAt", ">=", before)]),
                  ),
              ),
            ),
          ]),
        )
        .execute();
      return rows.map((row) => row.id);
    },
  };
}

/** Mails still waiting for the guest in the project's cycles are not sent any more. */
async function dropWaiting(db: Db, projectId: string, personId: string, reason: string): Promise<void> {
  await db
    .updateTable("GuestMail")
    .set({ status: "dropped", lastError: reason, claimedUntil: null })
    .where("personId", "=", personId)
    .where("status", "=", "pending")
    .where("cycleId", "in", db.selectFrom("RetroCycle").select("id").where("projectId", "=", projectId))
    .execute();
}
