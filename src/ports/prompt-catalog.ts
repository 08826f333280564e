import type { CheckpointDefinition } from "../domain/checkpoint-definition.ts";
import type { Intervention } from "../domain/intervention.ts";
import type { Locale } from "../domain/locale.ts";
import type { CheckpointPhase } from "../domain/phase.ts";
import type { RetroFormat } from "../domain/retro-format.ts";
import type { PulseWording } from "../domain/team-pulse.ts";
import type { Theme } from "../domain/theme.ts";

export type Vars = Record<string, string | number>;

/** Every user-facing word, loaded from prompts/ and validated. */
export type PromptCatalog = {
  /** Bot copy from messages.<locale>.yaml; `{name}` placeholders are filled from vars. */
  t(locale: Locale, key: string, vars?: Vars): string;
  /** A retro format by id ("start-stop-continue", "four-ls", "after-action-review", "phase-pilot", ...). */
  retroFormat(id: string, locale: Locale): RetroFormat;
  retroFormatIds(): string[];
  /** The checkpoints of a phase, or of `finished` (the closing decision's checks). */
  checkpoints(phase: CheckpointPhase, locale: Locale): CheckpointDefinition[];
  themes(locale: Locale): Theme[];
  /** Informal and formal learning interventions, at least one of each per theme. */
  interventions(locale: Locale): Intervention[];
  /** The team pulse's statements and scale labels. */
  teamPulse(locale: Locale): PulseWording;
};
