/** Informal learning happens between peers; formal learning is organised and often paid for. */
export const INTERVENTION_KINDS = ["informal", "formal"] as const;
export type InterventionKind = (typeof INTERVENTION_KINDS)[number];

/** A learning intervention an adviser can suggest when a theme keeps recurring. */
export type Intervention = {
  id: string;
  /** Id of the theme (prompts/themes.*.yaml) this intervention addresses. */
  theme: string;
  kind: InterventionKind;
  title: string;
  description: string;
};
