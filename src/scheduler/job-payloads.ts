import { z } from "zod";

// Validated when added and again when processed: Redis content is not trusted blindly.
export const retroJobSchema = z.object({ projectId: z.uuid() });
export const organisationJobSchema = z.object({ organisationId: z.uuid() });
export const deliverJobSchema = z.object({ outboxId: z.uuid() });

export type RetroJob = z.infer<typeof retroJobSchema>;
export type OrganisationJob = z.infer<typeof organisationJobSchema>;
export type DeliverJob = z.infer<typeof deliverJobSchema>;
