import { existsSync } from "node:fs";
import { join } from "node:path";
import type { CheckpointDefinition } from "../domain/checkpoint-definition.ts";
import type { Intervention } from "../domain/intervention.ts";
import { LeerlusError } from "../domain/leerlus-error.ts";
import { LOCALES, type Locale } from "../domain/locale.ts";
import { CHECKPOINT_PHASES, type CheckpointPhase } from "../domain/phase.ts";
import type { RetroFormat } from "../domain/retro-format.ts";
import type { Theme } from "../domain/theme.ts";
import type { PromptCatalog } from "../ports/prompt-catalog.ts";
import { loadMessages, requireEveryLocale } from "./load-messages.ts";
import { listPromptFiles, readPromptFile } from "./prompt-file.ts";
import { renderMessage } from "./render.ts";
import {
  checkpointsFileSchema,
  interventionsFileSchema,
  retroFormatFileSchema,
  teamPulseFileSchema,
  themesFileSchema,
} from "./schemas.ts";

type PerLocale<T> = Map<Locale, T>;

// Callers get shared, cached objects; freezing turns an accidental mutation into a loud error.
function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function loadRetroFormats(directory: string): Map<string, PerLocale<RetroFormat>> {
  const files = listPromptFiles(join(directory, "retro"));
  requireEveryLocale(files, "retro format");
  const formats = new Map<string, PerLocale<RetroFormat>>();
  for (const file of files) {
    const data = readPromptFile(file.path, retroFormatFileSchema);
    const format: RetroFormat = { id: file.name, locale: file.locale, ...data };
    const perLocale = formats.get(file.name) ?? new Map<Locale, RetroFormat>();
    perLocale.set(file.locale, deepFreeze(format));
    formats.set(file.name, perLocale);
  }
  return formats;
}

function loadCheckpoints(directory: string): Map<CheckpointPhase, PerLocale<CheckpointDefinition[]>> {
  const files = listPromptFiles(join(directory, "checkpoints"));
  requireEveryLocale(files, "checkpoint phase");
  const result = new Map<CheckpointPhase, PerLocale<CheckpointDefinition[]>>();
  for (const file of files) {
    const phase = CHECKPOINT_PHASES.find((candidate) => candidate === file.name);
    if (!phase) {
      throw new Error(
        `Invalid prompt file ${file.path}: "${file.name}" is not a phase (${CHECKPOINT_PHASES.join(", ")})`,
      );
    }
    const { checkpoints } = readPromptFile(file.path, checkpointsFileSchema);
    const perLocale = result.get(phase) ?? new Map<Locale, CheckpointDefinition[]>();
    const definitions = checkpoints.map((checkpoint) => ({
      ...checkpoint,
      phase,
      mustMeet: checkpoint.strength === "required",
    }));
    perLocale.set(file.locale, deepFreeze(definitions));
    result.set(phase, perLocale);
  }
  // Every phase has checkpoints, and `finished` holds the checks of the closing decision.
  for (const phase of CHECKPOINT_PHASES) {
    if (!result.has(phase)) {
      throw new Error(
        `Missing prompt file ${join(directory, "checkpoints", `${phase}.nl.yaml`)}: no checkpoints for ${phase}`,
      );
    }
  }
  return result;
}

/** Loads `<name>.<locale>.yaml` from the top level for every locale. */
function loadDataFile<T>(directory: string, name: string, read: (path: string) => T): PerLocale<T> {
  const result = new Map<Locale, T>();
  for (const locale of LOCALES) {
    const path = join(directory, `${name}.${locale}.yaml`);
    if (!existsSync(path)) throw new Error(`Missing prompt file ${path}`);
    result.set(locale, deepFreeze(read(path)));
  }
  return result;
}

function checkInterventionThemes(
  directory: string,
  themes: PerLocale<Theme[]>,
  interventions: PerLocale<Intervention[]>,
) {
  for (const [locale, list] of interventions) {
    const known = new Set(themes.get(locale)?.map((theme) => theme.id));
    list.forEach((intervention, index) => {
      if (!known.has(intervention.theme)) {
        const path = join(directory, `interventions.${locale}.yaml`);
        throw new Error(
          `Invalid prompt file ${path}: interventions.${index}.theme: unknown theme "${intervention.theme}"`,
        );
      }
    });
  }
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(what);
  return value;
}

/**
 * Loads and validates every file under `directory` (the repository's prompts/) once.
 * Throws on the first invalid or missing file, naming it and the bad field.
 */
export function createPromptCatalog(directory: string): PromptCatalog {
  if (!existsSync(directory)) throw new Error(`Prompt directory not found: ${directory}`);
  const messages = loadMessages(directory);
  const formats = loadRetroFormats(directory);
  const formatIds = [...formats.keys()].sort();
  const checkpoints = loadCheckpoints(directory);
  const themes = loadDataFile(directory, "themes", (path) => readPromptFile(path, themesFileSchema).themes);
  const interventions = loadDataFile(
    directory,
    "interventions",
    (path) => readPromptFile(path, interventionsFileSchema).interventions,
  );
  checkInterventionThemes(directory, themes, interventions);
  const teamPulse = loadDataFile(directory, "team-pulse", (path) => readPromptFile(path, teamPulseFileSchema));

  return {
    t(locale, key, vars) {
      const value = messages.get(locale)?.get(key);
      if (value === undefined) throw new LeerlusError("PROMPT_KEY_MISSING", `${key}`);
      return renderMessage(key, value, locale, vars);
    },
    retroFormat(id, locale) {
      return required(formats.get(id)?.get(locale), `RETRO_FORMAT_UNKNOWN: ${id}`);
    },
    retroFormatIds() {
      return [...formatIds];
    },
    checkpoints(phase, locale) {
      // Fresh arrays, so a caller may sort or filter in place; the items stay shared and frozen.
      return [...(checkpoints.get(phase)?.get(locale) ?? [])];
    },
    themes(locale) {
      return [...required(themes.get(locale), `PROMPT_LOCALE_UNKNOWN: ${locale}`)];
    },
    interventions(locale) {
      return [...required(interventions.get(locale), `PROMPT_LOCALE_UNKNOWN: ${locale}`)];
    },
    teamPulse(locale) {
      return required(teamPulse.get(locale), `PROMPT_LOCALE_UNKNOWN: ${locale}`);
    },
  };
}
