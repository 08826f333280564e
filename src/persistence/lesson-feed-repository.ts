// The lesson feed on PostgreSQL: the published changes (lessons and the tombstones the
// Lesson_feed_track trigger writes, migration 20261208120000_lesson_feed), the installation's
// signing key, and subscriptions with the lessons pulled through them.
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { FeedEntry } from "../domain/lesson-feed.ts";
import type { LessonFeedStore, Subscription } from "../ports/lesson-feed.ts";
import type { Db } from "./database.ts";

const KEY_ID = "installation";

type EntryRow = {
  kind: "lesson" | "gone";
  id: string;
  at: Date;
  text: string | null;
  context: string | null;
  recommendation: string | null;
  project: string | null;
  phase: string | null;
  themes: string[] | null;
  disciplines: string[] | null;
  publisher: string | null;
  licence: string | null;
  contact: string | null;
  createdAt: Date | null;
};

function toEntry(row: EntryRow, defaultLicence: string): FeedEntry {
  if (row.kind === "gone") return { kind: "gone", id: row.id, deletedAt: row.at };
  return {
    kind: "lesson",
    lesson: {
      id: row.id,
      text: row.text ?? "",
      context: row.context,
      recommendation: row.recommendation,
      project: row.project,
      phase: row.phase ?? "explore",
      themes: row.themes ?? [],
      disciplines: row.disciplines ?? [],
      publisher: row.publisher ?? "",
      licence: row.licence ?? defaultLicence,
      contact: row.contact,
      createdAt: row.createdAt ?? row.at,
      updatedAt: row.at,
    },
  };
}

/** Subscriptions with the number of lessons pulled through each. */
function subscriptionsOn(db: Db) {
  return db
    .selectFrom("LessonSubscription as s")
    .select([
      "s.id",
      "s.organisationId",
      "s.url",
      "s.keyId",
      "s.publicKey",
      "s.nextUrl",
      "s.lastError",
      "s.failures",
      "s.nextAttemptAt",
      "s.lastPulledAt",
    ])
    .select((eb) =>
      eb
        .selectFrom("Lesson as l")
        .select((inner) => inner.fn.countAll<string>().as("n"))
        .whereRef("l.feedSubscriptionId", "=", "s.id")
        .as("lessons"),
    );
}

const toSubscription = (row: Omit<Subscription, "lessons"> & { lessons: string | number | null }): Subscription => ({
  ...row,
  lessons: Number(row.lessons ?? 0),
});

export function createLessonFeedRepository(db: Db, options: { defaultLicence: string }): LessonFeedStore {
  return {
    async entries({ organisationId, after, since, settleMs, limit }) {
      const afterAt = after?.at ?? since ?? new Date(0);
      // With `since` the keyset starts at that moment, so a change at exactly `since` is included.
      const afterId = after?.id ?? "";
      const { rows } = await sql<EntryRow>`
        WITH bound AS (SELECT (clock_timestamp() AT TIME ZONE 'UTC') - make_interval(secs => ${settleMs / 1000}::double precision) AS until)
        SELECT changes.* FROM bound, (
          SELECT 'lesson' AS kind, l.id, l."updatedAt" AS at, l.text, l.context, l.recommendation,
            p.name AS project, l.phase, l.themes, l.disciplines, o.name AS publisher, l.licence, l.contact,
            l."createdAt"
          FROM "Lesson" l JOIN "Organisation" o ON o.id = l."organisationId"
          LEFT JOIN "Project" p ON p.id = l."projectId"
          WHERE l."organisationId" = ${organisationId} AND l.visibility = 'shared' AND l.status = 'confirmed'
            AND l.publisher IS NULL AND l."feedSubscriptionId" IS NULL
            AND (l."updatedAt", l.id) > (${afterAt}, ${afterId}) AND l."updatedAt" < (SELECT until FROM bound)
          UNION ALL
          SELECT 'gone', t."lessonId", t."deletedAt", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
          FROM "LessonTombstone" t
          WHERE t."organisationId" = ${organisationId}
            AND (t."deletedAt", t."lessonId") > (${afterAt}, ${afterId}) AND t."deletedAt" < (SELECT until FROM bound)
        ) AS changes
        ORDER BY at, id LIMIT ${limit}`.execute(db);
      return rows.map((row) => toEntry(row, options.defaultLicence));
    },

    async publishedCount(organisationId) {
      const row = await db
        .selectFrom("Lesson")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .where("organisationId", "=", organisationId)
        .where("visibility", "=", "shared")
        .where("status", "=", "confirmed")
        .where("publisher", "is", null)
        .where("feedSubscriptionId", "is", null)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async signingKey() {
      const key = await db
        .selectFrom("LessonFeedKey")
        .select(["publicKey", "privateKeySealed"])
        .where("id", "=", KEY_ID)
        .executeTakeFirst();
      return key ?? null;
    },

    async saveSigningKey(key) {
      await db
        .insertInto("LessonFeedKey")
        .values({ id: KEY_ID, ...key })
        .onConflict((conflict) => conflict.doNothing())
        .execute();
      return db
        .selectFrom("LessonFeedKey")
        .select(["publicKey", "privateKeySealed"])
        .where("id", "=", KEY_ID)
        .executeTakeFirstOrThrow();
    },

    async subscribe(input) {
      // Due at once, by whatever clock the pull uses.
      const created = await db
        .insertInto("LessonSubscription")
        .values({ id: randomUUID(), ...input, nextAttemptAt: new Date(0) })
        .onConflict((conflict) => conflict.columns(["organisationId", "url"]).doNothing())
        .returning("id")
        .executeTakeFirst();
      if (created) return { id: created.id, created: true };
      const existing = await db
        .selectFrom("LessonSubscription")
        .select("id")
        .where("organisationId", "=", input.organisationId)
        .where("url", "=", input.url)
        .executeTakeFirstOrThrow();
      return { id: existing.id, created: false };
    },

    async subscriptions(organisationId) {
      const rows = await subscriptionsOn(db)
        .where("s.organisationId", "=", organisationId)
        .orderBy("s.createdAt", "asc")
        .execute();
      return rows.map(toSubscription);
    },

    async subscription(id) {
      const row = await subscriptionsOn(db).where("s.id", "=", id).executeTakeFirst();
      return row ? toSubscription(row) : null;
    },

    async subscriptionIds() {
      const rows = await db.selectFrom("LessonSubscription").select("id").orderBy("id", "asc").execute();
      return rows.map((row) => row.id);
    },

    async unsubscribe(organisationId, url) {
      // The lessons go with it (foreign key ON DELETE CASCADE): without the feed, later
      // withdrawals and erasures could no longer reach them.
      const deleted = await db
        .deleteFrom("LessonSubscription")
        .where("organisationId", "=", organisationId)
        .where("url", "=", url)
        .executeTakeFirst();
      return Number(deleted.numDeletedRows) > 0;
    },

    async applyPage(subscriptionId, page) {
      await db.transaction().execute(async (trx) => {
        // Locks the subscription: two workers reading the same feed take turns.
        const subscription = await trx
          .selectFrom("LessonSubscription")
          .select("organisationId")
          .where("id", "=", subscriptionId)
          .forUpdate()
          .executeTakeFirst();
        if (!subscription) return;
        for (const lesson of page.lessons) {
          const { feedItemId, ...fields } = lesson;
          await trx
            .insertInto("Lesson")
            .values({
              ...fields,
              organisationId: subscription.organisationId,
              feedSubscriptionId: subscriptionId,
              feedItemId,
              source: "feed",
              visibility: "shared",
              status: "confirmed",
            })
            .onConflict((conflict) =>
              conflict.columns(["feedSubscriptionId", "feedItemId"]).doUpdateSet({ ...fields, updatedAt: new Date() }),
            )
            .execute();
        }
        if (page.gone.length > 0) {
          await trx
            .deleteFrom("Lesson")
            .where("feedSubscriptionId", "=", subscriptionId)
            .where("feedItemId", "in", page.gone)
            .execute();
        }
        await trx
          .updateTable("LessonSubscription")
          .set({ nextUrl: page.nextUrl, lastPulledAt: page.at, lastError: null, failures: 0, nextAttemptAt: page.at })
          .where("id", "=", subscriptionId)
          .execute();
      });
    },

    async recordFailure(subscriptionId, error, nextAttemptAt) {
      await db
        .updateTable("LessonSubscription")
        .set((eb) => ({ lastError: error.slice(0, 500), failures: eb("failures", "+", 1), nextAttemptAt }))
        .where("id", "=", subscriptionId)
        .execute();
    },
  };
}
