// Participation per quadruple-helix sector (government, market, knowledge institutions,
// residents) in the digest: members' sectors from their membership, guests' from their
// invitation. A sector fewer people than the minimum group size were invited from is not
// counted out, so no figure points at a few partners or residents.
import type { DigestContent } from "../../domain/digest-content.ts";
import type { Locale } from "../../domain/locale.ts";
import type { ViewSection } from "../../ports/digest-view.ts";
import type { GuestStore } from "../../ports/guest-store.ts";
import type { PromptCatalog } from "../../ports/prompt-catalog.ts";

export type SectorRows = NonNullable<DigestContent["sectors"]>;

export async function sectorParticipation(input: {
  guests: Pick<GuestStore, "sectorParticipation">;
  organisationId: string;
  periodStart: Date;
  periodEnd: Date;
  minGroupSize: number;
}): Promise<SectorRows> {
  const rows = await input.guests.sectorParticipation(input.organisationId, input.periodStart, input.periodEnd);
  return rows.map((row) =>
    row.people >= input.minGroupSize
      ? { sector: row.sector, shown: true, invited: row.invited, answered: row.answered }
      : { sector: row.sector, shown: false },
  );
}

/** The digest's section for it; none when the digest has no sectors (older digests, or none known). */
export function sectorSections(prompts: PromptCatalog, locale: Locale, content: DigestContent): ViewSection[] {
  if (!content.sectors || content.sectors.length === 0) return [];
  const t = (key: string, vars?: Record<string, string | number>) => prompts.t(locale, `digests.${key}`, vars);
  return [
    {
      id: "sectors",
      title: t("sections.sectors"),
      items: content.sectors.map((row) => ({
        label: prompts.t(locale, `guests.sector.${row.sector}`),
        text: row.shown
          ? t("participation-item", {
              answered: row.answered,
              invited: row.invited,
              percent: row.invited > 0 ? Math.round((row.answered / row.invited) * 100) : 0,
            })
          : t("too-few"),
      })),
    },
  ];
}
