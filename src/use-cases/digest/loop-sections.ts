// The digest view's intervention loop: the interventions suggested for recurring themes,
// and the planned and given ones with what followed. With a live loop (the digest page of
// an adviser) the marks made since the digest replace what it recorded, and items can act.
import type { DigestContent, ProjectName } from "../../domain/digest-content.ts";
import { formatNumber } from "../../domain/format-number.ts";
import { openSuggestions } from "../../domain/intervention-loop.ts";
import type { LiveLoop, ViewItem, ViewSection } from "../../ports/digest-view.ts";
import { type DigestWords, orNone } from "./digest-words.ts";

/** The catalogue's interventions and the organisation's own, as the reader names them. */
function catalogue(words: DigestWords, live: LiveLoop | undefined) {
  return [...words.prompts.interventions(words.locale), ...(live?.custom ?? words.content.loop?.custom ?? [])];
}

function suggestionsOf(content: DigestContent, live: LiveLoop | undefined) {
  if (!live) return content.interventions;
  const period = { start: new Date(content.periodStart), end: new Date(content.periodEnd) };
  return openSuggestions(content.interventions, live.marks, period);
}

export function interventionsSection(words: DigestWords, live: LiveLoop | undefined): ViewSection {
  const { t } = words;
  const interventions = catalogue(words, live);
  const items = suggestionsOf(words.content, live).flatMap((row) =>
    row.ids.flatMap((id) => {
      const found = interventions.find((candidate) => candidate.id === id);
      if (!found) return [];
      return [
        {
          label: `${t("intervention.for-theme", { theme: words.themeLabel(row.themeId) })} · ${t(`intervention.${found.kind}`)}`,
          text: found.title,
          note: found.description,
          ...(live ? { act: { kind: "suggestion" as const, interventionId: id, themeId: row.themeId } } : {}),
        },
      ];
    }),
  );
  return { id: "interventions", title: t("sections.interventions"), items: orNone(words, items) };
}

export function loopSection(words: DigestWords, live: LiveLoop | undefined): ViewSection {
  const interventions = catalogue(words, live);
  const title = (id: string) => interventions.find((candidate) => candidate.id === id)?.title ?? id;
  return { id: "loop", title: words.t("sections.loop"), items: orNone(words, loopItems(words, live, title)) };
}

/** Planned interventions (live when known) and given ones with what followed, worded as an observation. */
function loopItems(words: DigestWords, live: LiveLoop | undefined, title: (id: string) => string): ViewItem[] {
  const { t, day } = words;
  const projectsText = (projects: ProjectName[]) =>
    projects.length === 0 ? t("loop.whole-organisation") : projects.map(words.projectLabel).join(", ");
  const planned: ViewItem[] = live
    ? live.marks
        .filter((mark) => mark.status === "planned")
        .map((mark) => ({
          label: title(mark.interventionId),
          text: t("loop.planned", {
            date: mark.plannedFor ? day(mark.plannedFor) : "",
            projects: projectsText(
              mark.projectIds.filter((id) => live.projectNames.has(id)).map((id) => live.projectNames.get(id) ?? null),
            ),
          }),
          act: { kind: "planned", markId: mark.id },
        }))
    : (words.content.loop?.planned ?? []).map((row) => ({
        label: title(row.interventionId),
        text: t("loop.planned", {
          date: row.plannedFor ? day(row.plannedFor) : "",
          projects: projectsText(row.projects),
        }),
      }));
  const score = (value: number | null) => (value === null ? t("loop.no-score") : formatNumber(value, words.locale));
  const given: ViewItem[] = (words.content.loop?.given ?? []).map((row) => ({
    label: title(row.interventionId),
    text: t("loop.given", { date: day(row.givenOn), projects: projectsText(row.projects) }),
    note: row.observation.shown
      ? t("loop.observation", {
          days: row.days,
          count: row.days,
          before: score(row.observation.learningBefore),
          after: score(row.observation.learningAfter),
          themeBefore: row.observation.themeBefore,
          themeAfter: row.observation.themeAfter,
        })
      : t("loop.too-few"),
  }));
  return [...planned, ...given];
}
