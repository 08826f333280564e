// A page of another installation's lesson feed as a subscriber accepts it (the format is
// src/domain/lesson-feed.ts).
import { z } from "zod";
import { FEED_MAX_PAGE_SIZE } from "../../domain/lesson-feed.ts";

// What a subscriber accepts. Lengths as for imported files (lesson-import-schema.ts);
// extra properties are ignored, as AS2 consumers do.
const text = (max: number) => z.string().trim().max(max);
const nullableText = (max: number) => text(max).nullable().optional().default(null);
const when = z.iso.datetime({ offset: true });
const remoteId = z.string().min(1).max(200);

const note = z.object({
  id: remoteId,
  type: z.literal("Note"),
  content: text(2000).min(1),
  updated: when,
  published: when.optional(),
  attributedTo: z.object({ name: text(200).min(1) }),
  lesson: z.object({
    context: nullableText(2000),
    recommendation: nullableText(2000),
    project: nullableText(200),
    phase: text(20),
    themes: z.array(text(60)).max(30).default([]),
    disciplines: z.array(text(60)).max(30).default([]),
    licence: nullableText(100),
    contact: nullableText(200),
  }),
});
const tombstone = z.object({ id: remoteId, type: z.literal("Tombstone"), deleted: when.optional() });

export const feedPageSchema = z.object({
  type: z.enum(["OrderedCollectionPage", "OrderedCollection"]),
  orderedItems: z
    .array(z.discriminatedUnion("type", [note, tombstone]))
    .max(FEED_MAX_PAGE_SIZE)
    .default([]),
  first: z.string().max(2000).optional(),
  next: z.string().max(2000).optional(),
});
export type ParsedFeedPage = z.output<typeof feedPageSchema>;
export type ParsedFeedItem = ParsedFeedPage["orderedItems"][number];
