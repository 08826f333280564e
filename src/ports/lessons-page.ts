// What the web adapter's /lessons page asks of the core (src/use-cases/lessons/lessons-page.ts):
// search with filters, a download of the same results, adding and editing, for one person.
import type { ExportFormat } from "../domain/lesson-exchange.ts";
import type { Locale } from "../domain/locale.ts";
import type { Discipline } from "../domain/role.ts";
import type { LessonView, Visibility } from "./lesson-library.ts";

export type LessonsPageQuery = { q: string; theme: string; phase: string; project: string; discipline: string };

export type LessonsPageData = {
  locale: Locale;
  displayName: string;
  /** fromElsewhere: name the publisher and licence (another organisation, an import, the starter library). */
  results: (LessonView & { editable: boolean; fromElsewhere: boolean; domainLabel: string })[];
  themes: { id: string; label: string }[];
  phases: { id: string; label: string }[];
  disciplines: { id: string; label: string }[];
  visibilities: { id: string; label: string }[];
  projects: { id: string; name: string }[];
};

/** What a person may write into a lesson, on the page or in chat; the core validates it. */
export type LessonInput = {
  text: string;
  context?: string | null;
  recommendation?: string | null;
  themes?: string[];
  disciplines?: Discipline[];
  visibility?: Visibility;
};

export type LessonResult = { ok: true; lessonId: string } | { ok: false; error: string; field?: string };

export type LessonsPage = {
  search(personId: string, query: LessonsPageQuery): Promise<LessonsPageData | null>;
  download(personId: string, query: LessonsPageQuery, format: ExportFormat): Promise<string | null>;
  add(personId: string, input: LessonInput, projectId: string): Promise<LessonResult>;
  lesson(personId: string, lessonId: string): Promise<{ lesson: LessonView; revisions: number } | null>;
  edit(personId: string, lessonId: string, input: LessonInput): Promise<LessonResult>;
};
