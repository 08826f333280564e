import { buildDigestContent, type DigestContent } from "../../domain/digest-content.ts";
import type { PromptCatalog } from "../../ports/prompt-catalog.ts";
import type { Stores } from "../../ports/store.ts";

/** Builds a digest's content from the database's aggregates; stores nothing. */
export async function composeDigest(input: {
  stores: Pick<Stores, "digests">;
  prompts: PromptCatalog;
  organisationId: string;
  periodStart: Date;
  periodEnd: Date;
  minGroupSize: number;
}): Promise<DigestContent> {
  const facts = await input.stores.digests.facts({
    organisationId: input.organisationId,
    periodStart: input.periodStart,
    periodEnd: input.periodEnd,
  });
  // Interventions are the same per theme in every language; informal ones first.
  const interventions = [...input.prompts.interventions("nl")].sort(
    (a, b) => Number(a.kind === "formal") - Number(b.kind === "formal"),
  );
  return buildDigestContent({
    periodStart: input.periodStart,
    periodEnd: input.periodEnd,
    minGroupSize: input.minGroupSize,
    facts,
    interventions,
  });
}
