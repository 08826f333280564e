// A stored digest in one language, every word resolved: what the use cases hand the chat
// message, the web page, Markdown and PDF. Lesson texts are marked as written by people (`user`).
import type { CustomIntervention, InterventionMark } from "../domain/intervention-loop.ts";
import type { Locale } from "../domain/locale.ts";
import type { Role } from "../domain/role.ts";

/** What the page can do with an item: mark a suggestion, or mark a planned one given. */
export type ViewAction =
  | { kind: "suggestion"; interventionId: string; themeId: string }
  | { kind: "planned"; markId: string };
export type ViewItem = { label?: string; text: string; user?: boolean; note?: string; act?: ViewAction };
export type ViewChart = {
  id: string;
  title: string;
  description: string;
  unit: string;
  categories: string[];
  /** null: too few people to show this value. */
  series: { name: string; values: (number | null)[] }[];
  /** Values with decimals, written the reader's way ("3,8"); whole numbers are shown as they are. */
  decimals?: Locale;
  max?: number;
};
export type ViewSection = { id: string; title: string; items: ViewItem[]; chart?: ViewChart };

export type DigestView = {
  locale: Locale;
  title: string;
  period: string;
  headlines: string[];
  privacyNote: string;
  sections: ViewSection[];
  /** The figures a reader checks first, for tests and exports. */
  figures: { lessons: number; recurring: number; participation: number | null; stalled: number };
};

/** What advisers marked since the digest was made, with their own interventions and project names. */
export type LiveLoop = {
  marks: InterventionMark[];
  custom: CustomIntervention[];
  /** Names of the projects marks name; null for an anonymous project. */
  projectNames: Map<string, string | null>;
};

/** The person reading a digest, with their organisation; advising a project counts as the adviser role. */
export type DigestReader = {
  id: string;
  organisationId: string;
  organisationName: string;
  locale: Locale;
  roles: Role[];
};
