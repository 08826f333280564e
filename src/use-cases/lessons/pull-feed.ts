// The scheduled pull of one subscription: reads the feed's pages from where the last pull
// stopped, stores each page (new and edited lessons, removal of withdrawn and erased ones)
// before moving on, and on any failure records it on the subscription and waits, longer
// after each failure in a row. Reading a page again changes nothing, so a pull that died
// half-way, or ran twice, loses and doubles nothing.
import { LeerlusError } from "../../domain/leerlus-error.ts";
import { DEFAULT_LICENCE } from "../../domain/lesson-text.ts";
import { ALL_PHASES } from "../../domain/phase.ts";
import { DISCIPLINES } from "../../domain/role.ts";
import type { LessonExchange, PulledLesson, Subscription } from "../../ports/lesson-feed.ts";
import type { Deps } from "../deps.ts";
import { feedPageSchema, type ParsedFeedItem, type ParsedFeedPage } from "./feed-page-schema.ts";

export type PullOptions = {
  /** Pages read in one pull; the rest waits for the next. */
  maxPages: number;
  /** After n failures in a row the next try waits min(maxMs, baseMs·2^(n−1)), ±20 %. */
  backoff: { baseMs: number; maxMs: number };
};

export const PULL_DEFAULTS: PullOptions = { maxPages: 20, backoff: { baseMs: 60_000, maxMs: 6 * 60 * 60_000 } };

export type PullResult =
  | { outcome: "done"; pages: number; stored: number; removed: number }
  | { outcome: "waiting" | "unknown" }
  | { outcome: "failed"; error: LeerlusError };

type PullDeps = Pick<Deps, "clock" | "logger" | "prompts"> & { exchange: LessonExchange };

function retryDelay(failures: number, backoff: PullOptions["backoff"]): number {
  const plain = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(plain * (0.8 + Math.random() * 0.4));
}

/** A link from a page, resolved against it; only on the subscribed feed's origin, whose key is pinned. */
function sameOrigin(link: string, from: string, subscription: Subscription): string {
  const url = new URL(link, from);
  if (url.origin !== new URL(subscription.url).origin) {
    throw new LeerlusError("FEED_MALFORMED", `next → ${url.origin}`);
  }
  return url.href;
}

function toChanges(page: ParsedFeedPage, themeIds: Set<string>): { lessons: PulledLesson[]; gone: string[] } {
  // The last change of an id in the page counts.
  const last = new Map<string, ParsedFeedItem>();
  for (const item of page.orderedItems) {
    last.delete(item.id);
    last.set(item.id, item);
  }
  const lessons: PulledLesson[] = [];
  const gone: string[] = [];
  for (const item of last.values()) {
    if (item.type === "Tombstone") {
      gone.push(item.id);
      continue;
    }
    if (!(ALL_PHASES as readonly string[]).includes(item.lesson.phase)) {
      throw new LeerlusError("FEED_MALFORMED", `${item.id.slice(0, 60)}: phase`);
    }
    lessons.push({
      feedItemId: item.id,
      text: item.content,
      context: item.lesson.context,
      recommendation: item.lesson.recommendation,
      phase: item.lesson.phase,
      // Themes and disciplines this installation does not know are left out, not refused:
      // the publisher may run a newer Leerlus.
      themes: item.lesson.themes.filter((id) => themeIds.has(id)),
      disciplines: item.lesson.disciplines.filter((id) => (DISCIPLINES as readonly string[]).includes(id)),
      publisher: item.attributedTo.name,
      licence: item.lesson.licence ?? DEFAULT_LICENCE,
      contact: item.lesson.contact,
      createdAt: new Date(item.published ?? item.updated),
    });
  }
  return { lessons, gone };
}

export async function pullFeed(
  deps: PullDeps,
  subscriptionId: string,
  options: PullOptions = PULL_DEFAULTS,
  { force = false }: { force?: boolean } = {},
): Promise<PullResult> {
  const { store, client } = deps.exchange;
  const subscription = await store.subscription(subscriptionId);
  if (!subscription) return { outcome: "unknown" };
  if (!force && subscription.nextAttemptAt.getTime() > deps.clock.now().getTime()) return { outcome: "waiting" };
  const key = { keyId: subscription.keyId, publicKey: subscription.publicKey };
  const themeIds = new Set(deps.prompts.themes("en").map((theme) => theme.id));
  let url = subscription.nextUrl;
  let result = { pages: 0, stored: 0, removed: 0 };
  try {
    while (result.pages < options.maxPages) {
      const fetched = await client.fetchPage(url, key);
      if (!fetched.ok) throw fetched.error;
      const parsed = feedPageSchema.safeParse(fetched.json);
      if (!parsed.success) {
        throw new LeerlusError("FEED_MALFORMED", parsed.error.issues[0]?.path.join(".") || "JSON");
      }
      const page = parsed.data;
      const next =
        page.type === "OrderedCollection"
          ? page.first && sameOrigin(page.first, url, subscription)
          : page.next && sameOrigin(page.next, url, subscription);
      if (page.type === "OrderedCollection" && !next) {
        throw new LeerlusError("FEED_MALFORMED", "first");
      }
      const changes = toChanges(page, themeIds);
      // Stored before the position moves: a failure after this reads the same page again.
      await store.applyPage(subscription.id, { ...changes, nextUrl: next || url, at: deps.clock.now() });
      result = {
        pages: result.pages + 1,
        stored: result.stored + changes.lessons.length,
        removed: result.removed + changes.gone.length,
      };
      if (!next) break;
      url = next;
    }
    return { outcome: "done", ...result };
  } catch (error) {
    const failure =
      error instanceof LeerlusError
        ? error
        : new LeerlusError("FEED_UNREACHABLE", error instanceof Error ? error.name : "?");
    const wait = retryDelay(subscription.failures + 1, options.backoff);
    await store.recordFailure(subscription.id, failure.message, new Date(deps.clock.now().getTime() + wait));
    deps.logger.warn(
      { subscriptionId: subscription.id, code: failure.code, failures: subscription.failures + 1, retryInMs: wait },
      "lesson feed pull failed",
    );
    return { outcome: "failed", error: failure };
  }
}
