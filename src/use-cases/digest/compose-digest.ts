import { buildDigestContent, type DigestContent } from "../../domain/digest-content.ts";
import { buildLoop, GIVEN_REPORTED_PERIODS, openSuggestions } from "../../domain/intervention-loop.ts";
import type { GuestStore } from "../../ports/guest-store.ts";
import type { InterventionStore } from "../../ports/intervention-store.ts";
import type { PromptCatalog } from "../../ports/prompt-catalog.ts";
import type { Stores } from "../../ports/stores.ts";
import { sectorParticipation } from "./sector-participation.ts";

/** Builds a digest's content from the database's aggregates; stores nothing. */
export async function composeDigest(input: {
  /** Without `interventions`, the digest leaves out what advisers planned and gave. */
  stores: Pick<Stores, "digests"> & {
    interventions?: InterventionStore;
    guests?: Pick<GuestStore, "sectorParticipation">;
  };
  prompts: PromptCatalog;
  organisationId: string;
  periodStart: Date;
  periodEnd: Date;
  minGroupSize: number;
}): Promise<DigestContent> {
  const { organisationId, periodStart, periodEnd } = input;
  const facts = await input.stores.digests.facts({ organisationId, periodStart, periodEnd });
  const interventionStore = input.stores.interventions;
  const custom = interventionStore ? await interventionStore.custom(organisationId) : [];
  // Interventions are the same per theme in every language; informal ones first, the
  // organisation's own after the catalogue's.
  const interventions = [...input.prompts.interventions("nl"), ...custom].sort(
    (a, b) => Number(a.kind === "formal") - Number(b.kind === "formal"),
  );
  const guests = input.stores.guests;
  const content = {
    ...buildDigestContent({ periodStart, periodEnd, minGroupSize: input.minGroupSize, facts, interventions }),
    ...(guests
      ? {
          sectors: await sectorParticipation({
            guests,
            organisationId,
            periodStart,
            periodEnd,
            minGroupSize: input.minGroupSize,
          }),
        }
      : {}),
  };
  if (!interventionStore) return content;
  const marks = await interventionStore.marks(organisationId);
  const planned = marks.filter((mark) => mark.status === "planned");
  const names = await interventionStore.projectNames(
    organisationId,
    planned.flatMap((mark) => mark.projectIds),
  );
  const length = periodEnd.getTime() - periodStart.getTime();
  const given = await interventionStore.givenFacts({
    organisationId,
    since: new Date(periodEnd.getTime() - GIVEN_REPORTED_PERIODS * length),
    until: periodEnd,
  });
  return {
    ...content,
    interventions: openSuggestions(content.interventions, marks, { start: periodStart, end: periodEnd }),
    loop: buildLoop({
      planned: planned.map((mark) => ({
        interventionId: mark.interventionId,
        themeId: mark.themeId,
        plannedFor: mark.plannedFor,
        projects: mark.projectIds.filter((id) => names.has(id)).map((id) => names.get(id) ?? null),
      })),
      given,
      custom,
      minGroupSize: input.minGroupSize,
    }),
  };
}
