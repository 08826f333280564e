import { type CadenceWithoutZone, parseCadence } from "./cadence-text.ts";
import { type ActivePhase, PHASES } from "./phase.ts";
import { PROJECT_FLAGS, type ProjectFlags, parseYesNo } from "./project-flags.ts";

export const PROJECT_NAME_MAX = 80;

export type SetupValues = {
  name: string;
  phase: ActivePhase;
  cadence: CadenceWithoutZone;
  leadId: string;
  managerId: string | null;
  adviserId: string | null;
  /** The flags answered on the form; a flag left empty stays unanswered. */
  flags: ProjectFlags;
};

export type SetupProblem = {
  key: "name" | "phase" | "cadence" | "lead" | "manager" | "adviser" | `flag-${string}`;
  code: "required" | "too-long" | "unknown-phase" | "cadence-unclear" | "unknown-person" | "yes-no";
};

/** Checks the setup form: only what has no good default is asked, and all of it is checked. */
export function validateSetup(
  raw: Record<string, string>,
  people: ReadonlySet<string>,
): { ok: true; values: SetupValues } | { ok: false; problems: SetupProblem[] } {
  const problems: SetupProblem[] = [];
  const name = (raw.name ?? "").trim();
  if (name === "") problems.push({ key: "name", code: "required" });
  else if (name.length > PROJECT_NAME_MAX) problems.push({ key: "name", code: "too-long" });
  const phase = (raw.phase ?? "explore").trim();
  if (!PHASES.includes(phase as ActivePhase)) problems.push({ key: "phase", code: "unknown-phase" });
  const cadence = parseCadence(raw.cadence ?? "");
  if (!cadence) problems.push({ key: "cadence", code: "cadence-unclear" });
  const person = (key: "lead" | "manager" | "adviser", required: boolean): string | null => {
    const id = (raw[key] ?? "").trim();
    if (id === "") {
      if (required) problems.push({ key, code: "required" });
      return null;
    }
    if (!people.has(id)) problems.push({ key, code: "unknown-person" });
    return id;
  };
  const leadId = person("lead", true);
  const managerId = person("manager", false);
  const adviserId = person("adviser", false);
  const flags = readFlagAnswers(raw, problems);
  if (problems.length > 0 || !cadence || !leadId) return { ok: false, problems };
  return { ok: true, values: { name, phase: phase as ActivePhase, cadence, leadId, managerId, adviserId, flags } };
}

/** The form's `flag-<name>` answers: yes, no, or empty for not answered yet. */
function readFlagAnswers(raw: Record<string, string>, problems: SetupProblem[]): ProjectFlags {
  const flags: ProjectFlags = {};
  for (const flag of PROJECT_FLAGS) {
    const text = (raw[`flag-${flag}`] ?? "").trim();
    if (text === "") continue;
    const value = parseYesNo(text);
    if (value === null) problems.push({ key: `flag-${flag}`, code: "yes-no" });
    else flags[flag] = value;
  }
  return flags;
}
