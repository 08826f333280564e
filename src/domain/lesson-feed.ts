// The lesson feed between installations, as ActivityStreams 2.0 (W3C Recommendation): an
// OrderedCollection whose OrderedCollectionPages list lessons as `Note`s and withdrawn or
// erased ones as `Tombstone`s, oldest change first. AS2 over JSON Feed because AS2 defines
// paging (`first`, `next`, `partOf`) and deletion (`Tombstone`, `deleted`); JSON Feed has
// neither, and a subscriber must learn of erasures.
//
// Only lesson fields cross: never who wrote the answer a lesson came from, nor the
// publisher's feedback counts or where its own projects applied it.
export const AS_CONTEXT = "https://www.w3.org/ns/activitystreams";
/** Our own terms beside AS2's, as JSON-LD allows: `lesson` holds the lesson's fields. */
export const FEED_CONTEXT = [AS_CONTEXT, { lesson: "urn:leerlus:lesson" }] as const;
export const FEED_MEDIA_TYPE = "application/activity+json; charset=utf-8";
export const FEED_PAGE_SIZE = 50;
export const FEED_MAX_PAGE_SIZE = 100;

/** A lesson as it leaves the publishing installation. */
export type FeedLesson = {
  id: string;
  text: string;
  context: string | null;
  recommendation: string | null;
  project: string | null;
  phase: string;
  themes: string[];
  disciplines: string[];
  publisher: string;
  licence: string;
  contact: string | null;
  createdAt: Date;
  updatedAt: Date;
};

/** One change in the feed: a lesson as it is now, or the fact it is gone. */
export type FeedEntry = { kind: "lesson"; lesson: FeedLesson } | { kind: "gone"; id: string; deletedAt: Date };

/** Where a page starts: after this change (keyset over time and id). */
export type FeedCursor = { at: Date; id: string };

export const entryCursor = (entry: FeedEntry): FeedCursor =>
  entry.kind === "lesson" ? { at: entry.lesson.updatedAt, id: entry.lesson.id } : { at: entry.deletedAt, id: entry.id };

/** Opaque to subscribers: they follow `next`. Base64url of the time in ms and the id. */
export function encodeCursor(cursor: FeedCursor): string {
  return Buffer.from(`${cursor.at.getTime()}.${cursor.id}`, "utf8").toString("base64url");
}

export function decodeCursor(text: string): FeedCursor | null {
  const match = /^(\d{1,15})\.([0-9a-f-]{36})$/.exec(Buffer.from(text, "base64url").toString("utf8"));
  return match ? { at: new Date(Number(match[1])), id: match[2] as string } : null;
}

/** A key's RFC 7638 thumbprint (base64url) as an admin compares it by eye: hex pairs, as SSH shows keys. */
export function fingerprintText(keyId: string): string {
  const hex = Buffer.from(keyId, "base64url").toString("hex").toUpperCase();
  return `SHA256:${hex.match(/.{2}/g)?.join(":") ?? hex}`;
}

const itemId = (lessonId: string) => `urn:uuid:${lessonId}`;

function noteOf(lesson: FeedLesson) {
  return {
    id: itemId(lesson.id),
    type: "Note",
    mediaType: "text/plain",
    content: lesson.text,
    published: lesson.createdAt.toISOString(),
    updated: lesson.updatedAt.toISOString(),
    attributedTo: { type: "Organization", name: lesson.publisher },
    lesson: {
      context: lesson.context,
      recommendation: lesson.recommendation,
      project: lesson.project,
      phase: lesson.phase,
      themes: lesson.themes,
      disciplines: lesson.disciplines,
      licence: lesson.licence,
      contact: lesson.contact,
    },
  };
}

/** `&limit=n` when the subscriber asked for pages of another size: its links keep that size. */
const limitParam = (limit: number | undefined) => (limit === undefined ? "" : `&limit=${limit}`);

export function feedCollection(input: { url: string; publisher: string; totalItems: number; limit?: number }) {
  return {
    "@context": FEED_CONTEXT,
    id: input.url,
    type: "OrderedCollection",
    name: input.publisher,
    totalItems: input.totalItems,
    first: `${input.url}?page=true${limitParam(input.limit)}`,
  };
}

/**
 * A page; `next` (after its last entry) whenever it has entries, so a subscriber always has
 * a place to continue from, and an empty page ends its walk until there are new changes.
 */
export function feedPage(input: { url: string; pageUrl: string; entries: FeedEntry[]; limit?: number }) {
  const last = input.entries.at(-1);
  return {
    "@context": FEED_CONTEXT,
    id: input.pageUrl,
    type: "OrderedCollectionPage",
    partOf: input.url,
    orderedItems: input.entries.map((entry) =>
      entry.kind === "lesson"
        ? noteOf(entry.lesson)
        : {
            id: itemId(entry.id),
            type: "Tombstone",
            formerType: "Note",
            deleted: entry.deletedAt.toISOString(),
            updated: entry.deletedAt.toISOString(),
          },
    ),
    ...(last
      ? { next: `${input.url}?page=true&after=${encodeCursor(entryCursor(last))}${limitParam(input.limit)}` }
      : {}),
  };
}
