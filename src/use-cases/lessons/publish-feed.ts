// An organisation's shared lessons as an ActivityStreams 2.0 collection (src/domain/lesson-feed.ts):
// without `page` the collection, with `page=true` a page of changes, oldest first, starting
// after the `after` cursor a previous page's `next` carries, or at `since` (an ISO time).
import { z } from "zod";
import {
  decodeCursor,
  FEED_MAX_PAGE_SIZE,
  FEED_PAGE_SIZE,
  feedCollection,
  feedPage,
} from "../../domain/lesson-feed.ts";
import type { LessonFeedStore } from "../../ports/lesson-feed.ts";
import type { Stores } from "../../ports/stores.ts";

const querySchema = z.object({
  page: z.enum(["true"]).optional(),
  after: z.string().max(200).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(FEED_MAX_PAGE_SIZE).optional(),
});

export type FeedResponse =
  | { status: 200; body: object }
  | { status: 400 | 404; code: "FEED_QUERY_INVALID" | "FEED_NOT_FOUND"; message: string };

export async function lessonFeedDocument(
  deps: { stores: Stores; feeds: LessonFeedStore },
  input: {
    organisationId: string;
    /** The feed's own URL, without query. */
    url: string;
    query: Record<string, unknown>;
    /**
     * Changes younger than this are held back: a transaction that changed a lesson a moment
     * ago may commit after a younger change was read, and a subscriber past it would miss it.
     */
    settleMs: number;
  },
): Promise<FeedResponse> {
  const notFound = { status: 404, code: "FEED_NOT_FOUND", message: "No lesson feed at this address." } as const;
  if (!z.uuid().safeParse(input.organisationId).success) return notFound;
  const organisation = await deps.stores.directory.organisation(input.organisationId);
  if (!organisation) return notFound;
  const query = querySchema.safeParse(input.query);
  const after = query.success && query.data.after !== undefined ? decodeCursor(query.data.after) : null;
  if (!query.success || (query.data.after !== undefined && !after)) {
    return {
      status: 400,
      code: "FEED_QUERY_INVALID",
      message: "Use page=true, and optionally after=<cursor from next>, since=<ISO time> and limit=1..100.",
    };
  }
  if (!query.data.page && query.data.after === undefined && query.data.since === undefined) {
    const totalItems = await deps.feeds.publishedCount(organisation.id);
    return {
      status: 200,
      body: feedCollection({ url: input.url, publisher: organisation.name, totalItems, limit: query.data.limit }),
    };
  }
  const limit = query.data.limit ?? FEED_PAGE_SIZE;
  const entries = await deps.feeds.entries({
    organisationId: organisation.id,
    after,
    since: query.data.since ? new Date(query.data.since) : null,
    settleMs: input.settleMs,
    limit,
  });
  const pageUrl = `${input.url}?${new URLSearchParams(
    Object.entries(query.data).map(([key, value]) => [key, String(value)]),
  ).toString()}`;
  return { status: 200, body: feedPage({ url: input.url, pageUrl, entries, limit: query.data.limit }) };
}
