// What a lesson in an import file must look like, and the lesson it becomes.
import { z } from "zod";
import { LIST_SEPARATOR } from "../../domain/lesson-exchange.ts";
import { DEFAULT_LICENCE } from "../../domain/lesson-text.ts";
import { PHASES } from "../../domain/phase.ts";
import { DISCIPLINES } from "../../domain/role.ts";
import { type NewLesson, VISIBILITIES } from "../../ports/lesson-library.ts";

const blankToNull = (value: unknown) => (value === "" || value === undefined ? null : value);
const optionalText = (max: number) => z.preprocess(blankToNull, z.string().trim().max(max).nullable());
const list = (item: z.ZodType<string>) =>
  z.preprocess(
    (value) =>
      typeof value === "string"
        ? value
            .split(LIST_SEPARATOR)
            .map((part) => part.trim())
            .filter(Boolean)
        : (value ?? []),
    z.array(item),
  );
const count = z.preprocess(
  (value) =>
    value === "" || value === undefined || value === null ? 0 : typeof value === "string" ? Number(value) : value,
  z.number().int().min(0),
);

export function lessonImportSchema(themeIds: string[]) {
  return z
    .object({
      text: z.string().trim().min(1).max(2000),
      context: optionalText(2000),
      recommendation: optionalText(2000),
      project: optionalText(200),
      phase: z.enum([...PHASES, "stopped", "finished"]),
      themes: list(z.string().refine((id) => themeIds.includes(id), { message: "unknown theme" })),
      disciplines: list(z.enum(DISCIPLINES)),
      visibility: z.preprocess((value) => blankToNull(value) ?? "organisation", z.enum(VISIBILITIES)),
      publisher: optionalText(200),
      licence: optionalText(100),
      contact: optionalText(200),
      appliedIn: list(z.string().max(200)),
      usefulCount: count,
      notUsefulCount: count,
      createdAt: z.preprocess(blankToNull, z.iso.datetime({ offset: true }).nullable()),
    })
    .strict();
}

export type ImportedLesson = z.output<ReturnType<typeof lessonImportSchema>>;

/** The lesson to store: a lesson of another publisher keeps its publisher and gets a licence. */
export function toNewLesson(
  lesson: ImportedLesson,
  organisation: { id: string; name: string },
  projectId: string | null,
): NewLesson {
  const foreign = lesson.publisher !== null && lesson.publisher !== organisation.name;
  return {
    organisationId: organisation.id,
    projectId,
    phase: lesson.phase,
    text: lesson.text,
    context: lesson.context,
    recommendation: lesson.recommendation,
    themes: lesson.themes,
    disciplines: lesson.disciplines,
    source: "import",
    visibility: lesson.visibility,
    status: "confirmed",
    publisher: foreign ? lesson.publisher : null,
    licence: lesson.licence ?? (foreign || lesson.visibility === "shared" ? DEFAULT_LICENCE : null),
    contact: lesson.contact,
    appliedIn: lesson.appliedIn,
    ...(lesson.createdAt ? { createdAt: new Date(lesson.createdAt) } : {}),
  };
}
