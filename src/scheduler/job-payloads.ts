import { z } from "zod";

// Validated when added and again when processed: Redis content is not trusted blindly.
export const retroJobSchema = z.object({ projectId: z.uuid() });
export const organisationJobSchema = z.object({ organisationId: z.uuid() });
export const lessonFeedJobSchema = z.object({ subscriptionId: z.uuid() });
/** One action to send to its project's tracker. */
export const trackerJobSchema = z.object({ actionId: z.uuid() });
/** A batch of outbox messages; jobs queued before batching carried one `outboxId`. */
export const deliverJobSchema = z
  .union([z.object({ outboxIds: z.array(z.uuid()).min(1).max(100) }), z.object({ outboxId: z.uuid() })])
  .transform((job) => ({ outboxIds: "outboxIds" in job ? job.outboxIds : [job.outboxId] }));
