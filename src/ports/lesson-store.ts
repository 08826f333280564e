import type { DigestLesson } from "../domain/digest-content.ts";
import type { LessonStatus } from "../domain/record-status.ts";

export type LessonHit = {
  id: string;
  text: string;
  projectName: string | null;
  phase: string;
  themes: string[];
};

export type LessonReview = {
  id: string;
  projectId: string | null;
  organisationId: string;
  cycleId: string | null;
  source: string;
  status: string;
  reviewedById: string | null;
};

export type LessonStore = {
  createFromAnswers(
    items: {
      organisationId: string;
      projectId: string;
      cycleId: string;
      sourceAnswerId: string;
      phase: string;
      text: string;
      themes: string[];
    }[],
  ): Promise<void>;
  forCycle(cycleId: string): Promise<LessonHit[]>;
  inPeriod(organisationId: string, from: Date, to: Date): Promise<DigestLesson[]>;
  get(lessonId: string): Promise<LessonReview | null>;
  /** Saves or dismisses a proposed lesson; false when it was no longer proposed (decided meanwhile). */
  review(
    lessonId: string,
    input: { status: Exclude<LessonStatus, "proposed">; personId: string; at: Date },
  ): Promise<boolean>;
  /** Makes a saved or dismissed lesson from an answer proposed again; false when it was not decided. */
  undoReview(lessonId: string): Promise<boolean>;
};
