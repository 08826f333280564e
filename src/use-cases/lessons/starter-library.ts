// The starter library: about forty lessons written for Leerlus from the kinds of projects Dutch
// municipalities ran in 2015–2020 (data/starter-lessons.json), so a new organisation's search
// is not empty. Each lesson is there in Dutch and English; an organisation gets them in its
// own language, published by "Startbibliotheek Leerlus" under CC BY 4.0. Loading is keyed on
// the texts, in either language, so loading twice (or in the other language) adds nothing.
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { LeerlusError } from "../../domain/leerlus-error.ts";
import { DEFAULT_LICENCE, LESSON_FIELD_MAX } from "../../domain/lesson-text.ts";
import type { Locale } from "../../domain/locale.ts";
import { PHASES } from "../../domain/phase.ts";
import { POLICY_DOMAINS } from "../../domain/policy-domain.ts";
import { DISCIPLINES } from "../../domain/role.ts";
import type { NewLesson } from "../../ports/lesson-library.ts";
import type { PromptCatalog } from "../../ports/prompt-catalog.ts";
import type { UnitOfWork } from "../../ports/stores.ts";
import { existingTexts, textDigest } from "./import-lessons.ts";

export const STARTER_LIBRARY_FILE = new URL("../../../data/starter-lessons.json", import.meta.url);

const words = z
  .object({
    text: z.string().trim().min(1).max(LESSON_FIELD_MAX),
    context: z.string().trim().min(1).max(LESSON_FIELD_MAX),
    recommendation: z.string().trim().min(1).max(LESSON_FIELD_MAX),
  })
  .strict();

export function starterLibrarySchema(themeIds: readonly string[]) {
  return z
    .object({
      about: z.string().min(1),
      publisher: z.object({ nl: z.string().min(1).max(200), en: z.string().min(1).max(200) }).strict(),
      lessons: z
        .array(
          z
            .object({
              id: z.string().regex(/^[a-z0-9-]+$/),
              domain: z.enum(POLICY_DOMAINS),
              phase: z.enum(PHASES),
              themes: z
                .array(z.string().refine((id) => themeIds.includes(id), { message: "unknown theme" }))
                .min(1)
                .max(3),
              disciplines: z.array(z.enum(DISCIPLINES)).min(1),
              licence: z.literal(DEFAULT_LICENCE),
              nl: words,
              en: words,
            })
            .strict(),
        )
        .min(1),
    })
    .strict();
}

export type StarterLibrary = z.output<ReturnType<typeof starterLibrarySchema>>;

/** Reads and checks the shipped file; a broken file is a bug in Leerlus, named as such. */
export async function readStarterLibrary(prompts: PromptCatalog, file: URL | string = STARTER_LIBRARY_FILE) {
  const themeIds = prompts.themes("en").map((theme) => theme.id);
  const parsed = starterLibrarySchema(themeIds).safeParse(JSON.parse(await readFile(file, "utf8")));
  if (!parsed.success) {
    throw new LeerlusError("STARTER_LIBRARY_INVALID", `starter library: ${parsed.error.issues[0]?.message ?? ""}`);
  }
  return parsed.data;
}

export type StarterResult = { added: number; present: number; publisher: string };

/** Adds the starter lessons the organisation does not have yet, in `locale` (else its own language). */
export async function loadStarterLibrary(
  deps: { unitOfWork: UnitOfWork; prompts: PromptCatalog },
  organisationId: string,
  options: { locale?: Locale; library?: StarterLibrary } = {},
): Promise<StarterResult> {
  const library = options.library ?? (await readStarterLibrary(deps.prompts));
  // The same lock as an import, so two loads at once take turns and the second adds nothing.
  return deps.unitOfWork(`lessons-import:${organisationId}`, async (stores) => {
    const organisation = await stores.directory.organisation(organisationId);
    if (!organisation) throw new LeerlusError("ORGANISATION_UNKNOWN", `no organisation ${organisationId}`);
    const locale = options.locale ?? organisation.locale;
    const publisher = library.publisher[locale];
    const seen = await existingTexts(stores, organisationId);
    const fresh = library.lessons.filter(
      (lesson) => !seen.has(textDigest(lesson.nl.text)) && !seen.has(textDigest(lesson.en.text)),
    );
    const lessons: NewLesson[] = fresh.map((lesson) => ({
      organisationId,
      projectId: null,
      phase: lesson.phase,
      text: lesson[locale].text,
      context: lesson[locale].context,
      recommendation: lesson[locale].recommendation,
      themes: lesson.themes,
      disciplines: lesson.disciplines,
      source: "import",
      visibility: "organisation",
      status: "confirmed",
      publisher,
      licence: lesson.licence,
      contact: null,
      appliedIn: [],
      domain: lesson.domain,
    }));
    const added = await stores.library.createMany(lessons);
    return { added, present: library.lessons.length - fresh.length, publisher };
  });
}
