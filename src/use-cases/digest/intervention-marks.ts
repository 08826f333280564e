// An adviser's answers on the digest page: a suggested intervention planned (for a date and
// projects), given, or dismissed for the period; a planned one marked given; the organisation's
// own interventions added. Who may do this is settled by the caller from the verified digest
// link; every id the form sends back is checked against that adviser's organisation here.
import { z } from "zod";
import { INTERVENTION_KINDS } from "../../domain/intervention.ts";
import { LESSON_FIELD_MAX } from "../../domain/lesson-text.ts";
import type { DigestReaderRef, InterventionMarking, MarkOutcome } from "../../ports/intervention-marking.ts";
import type { PromptCatalog } from "../../ports/prompt-catalog.ts";
import type { Stores } from "../../ports/stores.ts";

// A form's key is a UUID the page rendered into it; it makes a double click act once.
const KEY = z.string().regex(/^[0-9a-f-]{36}$/);
const DATE = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const asList = (value: unknown) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

const markForm = z.object({
  key: KEY,
  intervention: z.string().min(1).max(100),
  theme: z.string().min(1).max(100),
  status: z.enum(["planned", "given", "dismissed"]),
  date: z.string().max(20).optional(),
  projects: z.preprocess(asList, z.array(z.string().max(100)).max(200)),
});
const givenForm = z.object({ key: KEY, date: z.string().max(20) });
const ownForm = z.object({
  key: KEY,
  theme: z.string().min(1).max(100),
  kind: z.enum(INTERVENTION_KINDS),
  title: z.string().trim().min(1).max(200),
  description: z.string().trim().min(1).max(LESSON_FIELD_MAX),
});

/** A real calendar day, "2026-12-01"; null otherwise. */
function calendarDay(value: string | undefined): string | null {
  if (!value || !DATE.safeParse(value).success) return null;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value ? value : null;
}

/** Today in the organisation's timezone, "2026-12-01". */
export function localToday(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

export function createInterventionMarking(deps: {
  stores: Pick<Stores, "digests" | "interventions" | "directory">;
  prompts: PromptCatalog;
  now: () => Date;
}): InterventionMarking {
  const { stores } = deps;
  const today = async (organisationId: string) =>
    localToday(deps.now(), (await stores.directory.organisation(organisationId))?.timezone ?? "Europe/Amsterdam");

  async function known(organisationId: string, interventionId: string, themeId: string): Promise<boolean> {
    const catalogue = [...deps.prompts.interventions("nl"), ...(await stores.interventions.custom(organisationId))];
    return catalogue.some((item) => item.id === interventionId && item.theme === themeId);
  }

  return {
    /** Plans, gives or dismisses a suggestion of this digest. */
    async mark(reader: DigestReaderRef, digestId: string, raw: unknown): Promise<MarkOutcome> {
      const parsed = markForm.safeParse(raw);
      if (!parsed.success) return { ok: false, problem: "form" };
      const form = parsed.data;
      const digest = await stores.digests.get(digestId);
      if (!digest || digest.organisationId !== reader.organisationId) return { ok: false, problem: "form" };
      if (!(await known(reader.organisationId, form.intervention, form.theme))) {
        return { ok: false, problem: "intervention" };
      }
      const date = form.status === "dismissed" ? null : calendarDay(form.date);
      if (form.status !== "dismissed" && date === null) return { ok: false, problem: "date" };
      if (form.status === "given" && (date as string) > (await today(reader.organisationId))) {
        return { ok: false, problem: "future" };
      }
      const projectIds = [...new Set(form.projects)];
      const choosable = new Set(
        (await stores.interventions.choosableProjects(reader.organisationId)).map((project) => project.id),
      );
      if (form.status !== "dismissed" && projectIds.some((id) => !choosable.has(id))) {
        return { ok: false, problem: "project" };
      }
      const created = await stores.interventions.mark({
        organisationId: reader.organisationId,
        digestId,
        interventionId: form.intervention,
        themeId: form.theme,
        status: form.status,
        plannedFor: form.status === "planned" ? date : null,
        givenOn: form.status === "given" ? date : null,
        projectIds: form.status === "dismissed" ? [] : projectIds,
        periodStart: digest.periodStart,
        periodEnd: digest.periodEnd,
        formKey: form.key,
      });
      return { ok: true, done: created ? form.status : "already" };
    },

    /** Marks a planned intervention of the adviser's organisation given. */
    async markGiven(reader: DigestReaderRef, markId: string, raw: unknown): Promise<MarkOutcome> {
      const parsed = givenForm.safeParse(raw);
      if (!parsed.success) return { ok: false, problem: "form" };
      const date = calendarDay(parsed.data.date);
      if (date === null) return { ok: false, problem: "date" };
      if (date > (await today(reader.organisationId))) return { ok: false, problem: "future" };
      const result = await stores.interventions.markGiven({
        organisationId: reader.organisationId,
        markId,
        givenOn: date,
        formKey: parsed.data.key,
      });
      if (result === "not-planned") return { ok: false, problem: "not-planned" };
      return { ok: true, done: result };
    },

    /** Adds an intervention of the organisation's own to its catalogue. */
    async addOwn(reader: DigestReaderRef, raw: unknown): Promise<MarkOutcome> {
      const parsed = ownForm.safeParse(raw);
      if (!parsed.success) {
        const onlyKey = parsed.error.issues.every((issue) => issue.path[0] === "key");
        return { ok: false, problem: onlyKey ? "form" : "fields" };
      }
      const form = parsed.data;
      if (!deps.prompts.themes("nl").some((theme) => theme.id === form.theme)) return { ok: false, problem: "fields" };
      const created = await stores.interventions.addCustom({
        organisationId: reader.organisationId,
        theme: form.theme,
        kind: form.kind,
        title: form.title,
        description: form.description,
        formKey: form.key,
      });
      return { ok: true, done: created ? "added" : "already" };
    },
  };
}
