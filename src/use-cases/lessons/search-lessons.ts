import { parseLessonQuery, resolveIds } from "../../domain/lesson-query.ts";
import type { Locale } from "../../domain/locale.ts";
import type { Block, Message, Text } from "../../domain/message.ts";
import { PHASES } from "../../domain/phase.ts";
import { POLICY_DOMAINS } from "../../domain/policy-domain.ts";
import { PHASE_NAMES } from "../../domain/project-import.ts";
import type { LessonFilters, LessonView } from "../../ports/lesson-library.ts";
import type { Address, PersonRecord } from "../../ports/project-records.ts";
import type { PromptCatalog, Vars } from "../../ports/prompt-catalog.ts";
import type { Deps } from "../deps.ts";
import { formatDay } from "../messages/format-day.ts";
import { personalWebLink, replyIsPrivate } from "../web-link.ts";

export const CHAT_RESULTS = 5;
const PHASE_IDS = [...PHASES, "stopped", "finished"] as const;

/** What a person typed as filters, resolved to theme and phase ids in either language. */
export function resolveFilters(
  prompts: PromptCatalog,
  raw: { themes: string[]; phases: string[]; projects: string[]; disciplines: string[]; domains?: string[] },
): LessonFilters {
  const themeLabels = new Map<string, string[]>();
  for (const locale of ["nl", "en"] as Locale[]) {
    for (const theme of prompts.themes(locale)) {
      themeLabels.set(theme.id, [...(themeLabels.get(theme.id) ?? []), theme.label]);
    }
  }
  const themes = [...themeLabels].map(([id, labels]) => ({ id, labels }));
  const phases = PHASE_IDS.map((id) => ({
    id,
    labels: [
      prompts.t("nl", `phases.${id}`),
      prompts.t("en", `phases.${id}`),
      ...Object.keys(PHASE_NAMES).filter((name) => PHASE_NAMES[name] === id),
    ],
  }));
  const domains = POLICY_DOMAINS.map((id) => ({
    id,
    labels: [prompts.t("nl", `lessons.domains.${id}`), prompts.t("en", `lessons.domains.${id}`)],
  }));
  return {
    themes: resolveIds(raw.themes, themes),
    phases: resolveIds(raw.phases, phases),
    projects: raw.projects,
    disciplines: raw.disciplines.map((value) => value.toLowerCase()),
    domains: resolveIds(raw.domains ?? [], domains),
  };
}

/** Lessons from elsewhere (another organisation, an import, the starter library) name their publisher and licence. */
export function showsPublisher(lesson: LessonView, viewerOrganisationId: string): boolean {
  return (
    lesson.organisationId !== viewerOrganisationId ||
    lesson.visibility === "shared" ||
    (lesson.source === "import" && lesson.licence !== null)
  );
}

/** The lesson's policy domain in the reader's language, when it names one. */
export function domainLabel(prompts: PromptCatalog, locale: Locale, lesson: LessonView): string {
  return lesson.domain && (POLICY_DOMAINS as readonly string[]).includes(lesson.domain)
    ? prompts.t(locale, `lessons.domains.${lesson.domain}`)
    : "";
}

/** One lesson as a line of chat: the lesson, its recommendation, where it came from; never who wrote it. */
export function lessonLine(prompts: PromptCatalog, locale: Locale, lesson: LessonView, viewerOrg: string): Text {
  const t = (key: string, vars?: Vars) => prompts.t(locale, key, vars);
  const labels = new Map(prompts.themes(locale).map((theme) => [theme.id, theme.label]));
  const line: Text = [{ user: lesson.text }];
  if (lesson.recommendation) line.push(" ", t("lessons.item.recommendation"), { user: lesson.recommendation });
  const phase = t(`phases.${PHASE_IDS.includes(lesson.phase as never) ? lesson.phase : "explore"}`);
  const where = t("lessons.item.where", { project: lesson.projectName ?? lesson.publisher, phase });
  const notes = [
    domainLabel(prompts, locale, lesson),
    lesson.themes.map((id) => labels.get(id) ?? id).join(", "),
    showsPublisher(lesson, viewerOrg)
      ? t("lessons.item.publisher", { publisher: lesson.publisher, licence: lesson.licence ?? "CC BY 4.0" })
      : "",
    lesson.usefulCount > 0 ? t("lessons.item.feedback", { useful: lesson.usefulCount, count: lesson.usefulCount }) : "",
    lesson.appliedIn.length > 0 ? t("lessons.item.applied", { places: lesson.appliedIn.join("; ") }) : "",
  ].filter(Boolean);
  line.push(
    " — ",
    { user: where },
    notes.length ? " (" : "",
    // Each note apart: "(Wonen; Datakwaliteit, Technologie; gedeeld door …)".
    ...notes.flatMap((note, index) => (index === 0 ? [{ user: note }] : ["; ", { user: note }])),
    notes.length ? ")" : "",
  );
  return line.filter((span) => span !== "");
}

/** `lessons <words> theme:… phase:… project:… discipline:… domain:…` in chat. */
export async function searchLessonsMessage(
  deps: Deps,
  person: PersonRecord,
  input: string,
  where: Address,
): Promise<Message> {
  const t = (key: string, vars?: Vars) => deps.prompts.t(person.locale, key, vars);
  const parsed = parseLessonQuery(input.slice(0, 300));
  const filters = resolveFilters(deps.prompts, parsed);
  const hits = await deps.stores.library.search({
    viewer: { organisationId: person.organisationId, personId: person.id },
    query: parsed.words,
    filters,
    limit: CHAT_RESULTS,
  });
  const filterText = [
    ...filters.themes.map((id) => `theme:${id}`),
    ...filters.phases.map((id) => `phase:${id}`),
    ...filters.projects.map((name) => `project:${name}`),
    ...filters.disciplines.map((id) => `discipline:${id}`),
    ...(filters.domains ?? []).map((id) => `domain:${id}`),
  ].join(" ");
  const heading = input.trim()
    ? t("lessons.results", { query: parsed.words || filterText, count: hits.length })
    : t("lessons.recent");
  const page = lessonsPageLink(deps, person, where);
  if (hits.length === 0) {
    const none = t("lessons.none");
    const hint: Block[] = person.roles.includes("admin")
      ? [{ type: "context", text: [t("lessons.starter.hint")] }]
      : [];
    return {
      fallback: none,
      blocks: [{ type: "paragraph", text: [{ user: heading }] }, { type: "paragraph", text: [none] }, ...hint, page],
    };
  }
  return {
    fallback: heading,
    blocks: [
      { type: "heading", text: [{ user: heading }] },
      ...(filterText
        ? [{ type: "context" as const, text: [{ user: t("lessons.search.filters", { filters: filterText }) }] }]
        : []),
      { type: "list", items: hits.map((hit) => lessonLine(deps.prompts, person.locale, hit, person.organisationId)) },
      page,
    ],
  };
}

/** Where the full library is: the reader's own signed link, unless others read the reply too. */
function lessonsPageLink(deps: Deps, person: PersonRecord, where: Address): Block {
  const t = (key: string, vars?: Vars) => deps.prompts.t(person.locale, key, vars);
  if (!replyIsPrivate(person, where)) return { type: "context", text: [t("weblink.direct-only")] };
  const link = personalWebLink(deps, person, "lessons");
  return {
    type: "context",
    text: [t("weblink.page-link", { url: link.url, until: formatDay(link.expiresAt, person.locale) })],
  };
}
