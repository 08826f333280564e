import { type CadenceWithoutZone, parseCadence } from "./cadence-text.ts";
import type { CsvRecord } from "./lesson-csv.ts";
import { type ActivePhase, PHASES } from "./phase.ts";
import { PROJECT_FLAGS, type ProjectFlags, parseYesNo } from "./project-flags.ts";
import { DISCIPLINES, type Discipline } from "./role.ts";

// One row per person per project:
// project,phase,cadence,person,email,role,discipline,locale
// and optionally one column per project flag (personal-data, ai-system, ...) with yes/no.
export const IMPORT_COLUMNS = [
  "project",
  "phase",
  "cadence",
  "person",
  "email",
  "role",
  "discipline",
  "locale",
] as const;
type Column = (typeof IMPORT_COLUMNS)[number];

export type ImportRole = "member" | "lead" | "manager" | "adviser" | "sponsor";

export type ImportPlan = {
  projects: { name: string; phase: ActivePhase; cadence: CadenceWithoutZone; line: number; flags: ProjectFlags }[];
  people: { email: string; displayName: string; locale: "nl" | "en" | null; line: number }[];
  roles: { project: string; email: string; role: ImportRole; discipline: Discipline | null }[];
};

export type ImportProblem = { line: number; field: string; code: string };

/** Phase words people type, besides the ids: the Dutch labels and the verbs earlier versions showed. */
export const PHASE_NAMES: Record<string, ActivePhase> = {
  verkenning: "explore",
  verkennen: "explore",
  implementatie: "implement",
  implementeren: "implement",
  opschaling: "scale",
  opschalen: "scale",
  ...Object.fromEntries(PHASES.map((phase) => [phase, phase])),
};
const ROLE_NAMES: Record<string, ImportRole> = {
  member: "member",
  lid: "member",
  lead: "lead",
  trekker: "lead",
  manager: "manager",
  adviser: "adviser",
  adviseur: "adviser",
  sponsor: "sponsor",
  opdrachtgever: "sponsor",
};
const DEFAULT_CADENCE: CadenceWithoutZone = { kind: "weekly", weekday: 4, time: "15:00", everyWeeks: 2 };
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Checks a whole import file; any problem means nothing is imported, each named by line and field. */
export function planImport(
  records: CsvRecord[],
): { ok: true; plan: ImportPlan } | { ok: false; problems: ImportProblem[] } {
  const [header, ...rows] = records;
  const problems: ImportProblem[] = [];
  const names = (header?.cells ?? []).map((cell) => cell.trim().toLowerCase());
  for (const column of IMPORT_COLUMNS) {
    if (!names.includes(column)) problems.push({ line: header?.line ?? 1, field: column, code: "column-missing" });
  }
  if (problems.length > 0) return { ok: false, problems };
  if (rows.length === 0) return { ok: false, problems: [{ line: 1, field: "project", code: "empty" }] };
  const index = Object.fromEntries(names.map((name, i) => [name, i])) as Record<Column, number>;
  const projects = new Map<string, ImportPlan["projects"][number]>();
  const people = new Map<string, ImportPlan["people"][number]>();
  const roles: ImportPlan["roles"] = [];
  const leads = new Set<string>();
  for (const { line, cells } of rows) {
    const cell = (column: Column) => (cells[index[column]] ?? "").trim();
    const problem = (field: Column, code: string) => problems.push({ line, field, code });
    const project = cell("project");
    if (project === "") problem("project", "required");
    else if (project.length > 80) problem("project", "too-long");
    const phase = PHASE_NAMES[cell("phase").toLowerCase()];
    if (!phase) problem("phase", "unknown-phase");
    const cadence = cell("cadence") === "" ? DEFAULT_CADENCE : parseCadence(cell("cadence"));
    if (!cadence) problem("cadence", "cadence-unclear");
    const displayName = cell("person");
    if (displayName === "") problem("person", "required");
    const email = cell("email").toLowerCase();
    if (!EMAIL.test(email)) problem("email", "email-invalid");
    const role = ROLE_NAMES[cell("role").toLowerCase()];
    if (!role) problem("role", "unknown-role");
    const discipline = cell("discipline") === "" ? null : (cell("discipline") as Discipline);
    if (discipline && !DISCIPLINES.includes(discipline)) problem("discipline", "unknown-discipline");
    const locale = cell("locale") === "" ? null : cell("locale");
    if (locale !== null && locale !== "nl" && locale !== "en") problem("locale", "unknown-locale");
    if (!project || !phase || !cadence || !displayName || !EMAIL.test(email) || !role) continue;
    const flags: ProjectFlags = {};
    for (const flag of PROJECT_FLAGS) {
      const at = names.indexOf(flag);
      const text = at >= 0 ? (cells[at] ?? "").trim() : "";
      if (text === "") continue;
      const value = parseYesNo(text);
      if (value === null) problems.push({ line, field: flag, code: "yes-no" });
      else flags[flag] = value;
    }
    const known = projects.get(project);
    if (!known) projects.set(project, { name: project, phase, cadence, line, flags });
    else if (known.phase !== phase) problem("phase", "phase-differs");
    // Any row of the project may answer a flag; the first answer counts.
    else known.flags = { ...flags, ...known.flags };
    const person = people.get(email);
    if (!person) people.set(email, { email, displayName, locale: locale as "nl" | "en" | null, line });
    else if (person.displayName !== displayName) problem("person", "email-other-person");
    if (role === "lead") leads.add(project);
    roles.push({ project, email, role, discipline });
  }
  for (const project of projects.values()) {
    if (!leads.has(project.name)) problems.push({ line: project.line, field: "role", code: "no-lead" });
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, plan: { projects: [...projects.values()], people: [...people.values()], roles } };
}
