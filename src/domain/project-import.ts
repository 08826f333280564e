import { type CadenceWithoutZone, parseCadence } from "./cadence-text.ts";
import type { CsvRecord } from "./lesson-csv.ts";
import { type ActivePhase, PHASES } from "./phase.ts";
import { type ProblemList, problemList } from "./problem-list.ts";
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

export type PlanResult =
  | { ok: true; plan: ImportPlan }
  /** The first problems (at most `maxProblems`) and how many there were. */
  | { ok: false; problems: ImportProblem[]; total: number };

type Columns = { names: string[]; index: Record<Column, number> };
type Row = {
  line: number;
  project: string;
  phase: ActivePhase;
  cadence: CadenceWithoutZone;
  displayName: string;
  email: string;
  role: ImportRole;
  discipline: Discipline | null;
  locale: "nl" | "en" | null;
  flags: ProjectFlags;
};

/** The values of one row, or null when one it needs is missing or wrong; its problems are added. */
function readRow(
  { line, cells }: CsvRecord,
  { names, index }: Columns,
  problems: ProblemList<ImportProblem>,
): Row | null {
  const cell = (column: Column) => (cells[index[column]] ?? "").trim();
  const problem = (field: string, code: string) => problems.add({ line, field, code });
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
  if (!project || project.length > 80 || !phase || !cadence || !displayName || !EMAIL.test(email) || !role) return null;
  const flags: ProjectFlags = {};
  for (const flag of PROJECT_FLAGS) {
    const at = names.indexOf(flag);
    const text = at >= 0 ? (cells[at] ?? "").trim() : "";
    if (text === "") continue;
    const value = parseYesNo(text);
    if (value === null) problem(flag, "yes-no");
    else flags[flag] = value;
  }
  return {
    line,
    project,
    phase,
    cadence,
    displayName,
    email,
    role,
    discipline,
    locale: locale as Row["locale"],
    flags,
  };
}

/**
 * Checks an import file record by record, as it is read; any problem means nothing is
 * imported, each named by line and field. A project's rows may be anywhere in the file, so
 * what spans rows (one phase per project, a lead) is checked at the end.
 */
export function createImportPlanner(maxProblems: number) {
  const problems = problemList<ImportProblem>(maxProblems);
  let names: string[] | undefined;
  let columns: Columns | undefined;
  let rows = 0;
  const projects = new Map<string, ImportPlan["projects"][number]>();
  const people = new Map<string, ImportPlan["people"][number]>();
  const roles: ImportPlan["roles"] = [];
  const leads = new Set<string>();

  function header({ line, cells }: CsvRecord) {
    names = cells.map((cell) => cell.trim().toLowerCase());
    for (const column of IMPORT_COLUMNS) {
      if (!names.includes(column)) problems.add({ line, field: column, code: "column-missing" });
    }
    if (problems.total > 0) return;
    columns = { names, index: Object.fromEntries(names.map((name, i) => [name, i])) as Record<Column, number> };
  }

  function merge(row: Row) {
    const problem = (field: string, code: string) => problems.add({ line: row.line, field, code });
    const known = projects.get(row.project);
    if (!known)
      projects.set(row.project, {
        name: row.project,
        phase: row.phase,
        cadence: row.cadence,
        line: row.line,
        flags: row.flags,
      });
    else if (known.phase !== row.phase) problem("phase", "phase-differs");
    // Any row of the project may answer a flag; the first answer counts.
    else known.flags = { ...row.flags, ...known.flags };
    const person = people.get(row.email);
    if (!person)
      people.set(row.email, { email: row.email, displayName: row.displayName, locale: row.locale, line: row.line });
    else if (person.displayName !== row.displayName) problem("person", "email-other-person");
    if (row.role === "lead") leads.add(row.project);
    // Once the file has a problem, nothing will be imported: only problems are still collected.
    if (problems.total === 0)
      roles.push({ project: row.project, email: row.email, role: row.role, discipline: row.discipline });
  }

  return {
    /** The next record of the file, the header first. */
    add(record: CsvRecord) {
      if (!names) return header(record);
      if (!columns) return;
      rows++;
      const row = readRow(record, columns, problems);
      if (row) merge(row);
    },
    /** A problem found by reading the file (a quoted field not closed, say). */
    problem(problem: ImportProblem) {
      problems.add(problem);
    },
    finish(): PlanResult {
      if (!names) header({ line: 1, cells: [] });
      else if (columns && rows === 0) problems.add({ line: 1, field: "project", code: "empty" });
      for (const project of projects.values()) {
        if (!leads.has(project.name)) problems.add({ line: project.line, field: "role", code: "no-lead" });
      }
      if (problems.total > 0) return { ok: false, problems: problems.shown, total: problems.total };
      return { ok: true, plan: { projects: [...projects.values()], people: [...people.values()], roles } };
    },
  };
}

/** Checks a whole import file at once (see {@link createImportPlanner}), reporting every problem. */
export function planImport(records: CsvRecord[]): PlanResult {
  const planner = createImportPlanner(Number.POSITIVE_INFINITY);
  for (const record of records) planner.add(record);
  return planner.finish();
}
