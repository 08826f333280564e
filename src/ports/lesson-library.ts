// The lessons library: search, related lessons, editing with history, sharing with other
// teams and feedback, export and import. Implemented with Prisma and raw full-text SQL in
// src/persistence/lesson-library-repository.ts.

import type { LessonStatus } from "../domain/record-status.ts";
export const VISIBILITIES = ["team", "organisation", "shared"] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export type LessonFilters = {
  themes: string[];
  phases: string[];
  /** Parts of project names, case-insensitive. */
  projects: string[];
  disciplines: string[];
  /** Policy domain ids (src/domain/policy-domain.ts); absent or empty: every domain. */
  domains?: string[];
};

export const NO_FILTERS: LessonFilters = { themes: [], phases: [], projects: [], disciplines: [] };

/** Who is looking: team lessons only for that team, organisation lessons within it, shared ones everywhere. */
export type LessonViewer = { organisationId: string; personId: string };

/** A lesson as people see it: never who wrote the answer it came from. */
export type LessonView = {
  id: string;
  organisationId: string;
  projectId: string | null;
  projectName: string | null;
  /** The publishing organisation: the lesson's publisher, else its organisation's name. */
  publisher: string;
  text: string;
  context: string | null;
  recommendation: string | null;
  phase: string;
  themes: string[];
  disciplines: string[];
  source: string;
  visibility: string;
  status: string;
  licence: string | null;
  contact: string | null;
  usefulCount: number;
  notUsefulCount: number;
  appliedIn: string[];
  /** The policy domain, when the lesson names one (the starter library's do). */
  domain: string | null;
  createdAt: Date;
};

export type LessonEdit = {
  text?: string;
  context?: string | null;
  recommendation?: string | null;
  themes?: string[];
  disciplines?: string[];
  visibility?: Visibility;
};

export type NewLesson = {
  organisationId: string;
  projectId: string | null;
  phase: string;
  text: string;
  context: string | null;
  recommendation: string | null;
  themes: string[];
  disciplines: string[];
  source: "manual" | "import";
  visibility: Visibility;
  status: Exclude<LessonStatus, "dismissed">;
  publisher: string | null;
  licence: string | null;
  contact: string | null;
  appliedIn: string[];
  domain?: string | null;
  createdAt?: Date;
};

export type LessonShareRecord = {
  id: string;
  lessonId: string;
  projectId: string;
  useful: boolean | null;
  applied: boolean | null;
};

export type LessonLibraryStore = {
  /** Snowball stems of each word in Dutch and English (PostgreSQL's dictionaries, as the search uses). */
  stemWords(words: string[]): Promise<Map<string, string[]>>;
  /** Ranked full-text search (Dutch and English, quoted phrases) over what the viewer may see. */
  search(input: { viewer: LessonViewer; query: string; filters: LessonFilters; limit: number }): Promise<LessonView[]>;
  /**
   * For each project, up to `limit` lessons from other projects not shown to it yet: same
   * phase, shared themes, similar text. Projects with none are absent from the map.
   */
  related(projectIds: readonly string[], limit: number): Promise<Map<string, LessonView[]>>;
  /** The organisation's projects, to match imported lessons by project name. */
  projectsOf(organisationId: string): Promise<{ id: string; name: string }[]>;
  find(lessonId: string): Promise<LessonView | null>;
  create(lesson: NewLesson): Promise<string>;
  createMany(lessons: NewLesson[]): Promise<number>;
  /** Applies the edit and keeps the fields as they were in a revision. */
  edit(lessonId: string, edit: LessonEdit, editorId: string | null): Promise<void>;
  revisions(lessonId: string): Promise<{ before: Record<string, unknown>; createdAt: Date }[]>;
  /** The texts of the organisation's lessons, a page at a time, to skip duplicates on import. */
  textPages(organisationId: string, pageSize: number): AsyncIterable<string[]>;
  /** Every lesson of the organisation that is not dismissed, oldest first. */
  ofOrganisation(organisationId: string): Promise<LessonView[]>;
  /**
   * Records that these lessons were shown to these projects; returns the shares made by
   * these offers (one per lesson and project), in the order offered.
   */
  share(
    offers: readonly { projectId: string; cycleId: string | null; lessonIds: string[] }[],
  ): Promise<LessonShareRecord[]>;
  shareById(shareId: string): Promise<LessonShareRecord | null>;
  /** Useful or not; changing one's mind moves the count, repeating it changes nothing. */
  feedback(shareId: string, useful: boolean, personId: string): Promise<void>;
  /** Per project, shares received in a cycle at least `cyclesAgo` before `sequence`, not yet asked about. */
  sharesDueForAppliedQuestion(
    cycles: readonly { projectId: string; sequence: number }[],
    cyclesAgo: number,
  ): Promise<{ share: LessonShareRecord; lesson: LessonView }[]>;
  markAppliedAsked(shareIds: string[], at: Date): Promise<void>;
  /** Records the answer once; a yes adds the evidence to the lesson's applied-in. */
  recordApplied(shareId: string, applied: boolean, evidence: string): Promise<boolean>;
};
