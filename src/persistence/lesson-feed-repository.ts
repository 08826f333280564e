// The lesson feed on PostgreSQL: the published changes (lessons and the tombstones the
// Lesson_feed_track trigger writes, migration 20261208120000_lesson_feed), the installation's
// signing key, and subscriptions with the lessons pulled through them.
import type { FeedEntry } from "../domain/lesson-feed.ts";
import type { LessonFeedStore, Subscription } from "../ports/lesson-feed.ts";
import type { Db } from "./prisma-client.ts";

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

type SubscriptionRow = Omit<Subscription, "lessons"> & { _count: { lessons: number } };
const toSubscription = ({ _count, ...row }: SubscriptionRow): Subscription => ({ ...row, lessons: _count.lessons });
const withCount = { _count: { select: { lessons: true } } } as const;

export function createLessonFeedRepository(db: Db, options: { defaultLicence: string }): LessonFeedStore {
  return {
    async entries({ organisationId, after, since, settleMs, limit }) {
      const afterAt = after?.at ?? since ?? new Date(0);
      // With `since` the keyset starts at that moment, so a change at exactly `since` is included.
      const afterId = after?.id ?? "";
      const rows = await db.$queryRaw<EntryRow[]>`
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
        ORDER BY at, id LIMIT ${limit}`;
      return rows.map((row) => toEntry(row, options.defaultLicence));
    },

    async publishedCount(organisationId) {
      return db.lesson.count({
        where: { organisationId, visibility: "shared", status: "confirmed", publisher: null, feedSubscriptionId: null },
      });
    },

    async signingKey() {
      return db.lessonFeedKey.findUnique({
        where: { id: KEY_ID },
        select: { publicKey: true, privateKeySealed: true },
      });
    },

    async saveSigningKey(key) {
      await db.lessonFeedKey.createMany({ data: [{ id: KEY_ID, ...key }], skipDuplicates: true });
      return db.lessonFeedKey.findUniqueOrThrow({
        where: { id: KEY_ID },
        select: { publicKey: true, privateKeySealed: true },
      });
    },

    async subscribe(input) {
      const existing = await db.lessonSubscription.findUnique({
        where: { organisationId_url: { organisationId: input.organisationId, url: input.url } },
        select: { id: true },
      });
      if (existing) return { id: existing.id, created: false };
      const created = await db.lessonSubscription.upsert({
        where: { organisationId_url: { organisationId: input.organisationId, url: input.url } },
        // Due at once, by whatever clock the pull uses.
        create: { ...input, nextAttemptAt: new Date(0) },
        update: {},
        select: { id: true },
      });
      return { id: created.id, created: true };
    },

    async subscriptions(organisationId) {
      const rows = await db.lessonSubscription.findMany({
        where: { organisationId },
        include: withCount,
        orderBy: { createdAt: "asc" },
      });
      return rows.map(toSubscription);
    },

    async subscription(id) {
      const row = await db.lessonSubscription.findUnique({ where: { id }, include: withCount });
      return row ? toSubscription(row) : null;
    },

    async subscriptionIds() {
      const rows = await db.lessonSubscription.findMany({ select: { id: true }, orderBy: { id: "asc" } });
      return rows.map((row) => row.id);
    },

    async unsubscribe(organisationId, url) {
      // The lessons go with it (foreign key ON DELETE CASCADE): without the feed, later
      // withdrawals and erasures could no longer reach them.
      const deleted = await db.lessonSubscription.deleteMany({ where: { organisationId, url } });
      return deleted.count > 0;
    },

    async applyPage(subscriptionId, page) {
      await db.$transaction(async (tx) => {
        // Locks the subscription: two workers reading the same feed take turns.
        const [subscription] = await tx.$queryRaw<{ organisationId: string }[]>`
          SELECT "organisationId" FROM "LessonSubscription" WHERE id = ${subscriptionId} FOR UPDATE`;
        if (!subscription) return;
        for (const lesson of page.lessons) {
          const { feedItemId, ...fields } = lesson;
          await tx.lesson.upsert({
            where: { feedSubscriptionId_feedItemId: { feedSubscriptionId: subscriptionId, feedItemId } },
            create: {
              ...fields,
              organisationId: subscription.organisationId,
              feedSubscriptionId: subscriptionId,
              feedItemId,
              source: "feed",
              visibility: "shared",
              status: "confirmed",
            },
            update: fields,
          });
        }
        if (page.gone.length > 0) {
          await tx.lesson.deleteMany({ where: { feedSubscriptionId: subscriptionId, feedItemId: { in: page.gone } } });
        }
        await tx.lessonSubscription.update({
          where: { id: subscriptionId },
          data: { nextUrl: page.nextUrl, lastPulledAt: page.at, lastError: null, failures: 0, nextAttemptAt: page.at },
        });
      });
    },

    async recordFailure(subscriptionId, error, nextAttemptAt) {
      await db.lessonSubscription.updateMany({
        where: { id: subscriptionId },
        data: { lastError: error.slice(0, 500), failures: { increment: 1 }, nextAttemptAt },
      });
    },
  };
}
