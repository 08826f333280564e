import { MAX_REPORTED_PROBLEMS, PROJECTS_IMPORT_MAX_BYTES } from "../domain/import-limits.ts";
import { createImportPlanner, type ImportPlan, type ImportProblem } from "../domain/project-import.ts";
import type { ImportedProject } from "../ports/project-admin-store.ts";
import type { Deps } from "./deps.ts";
import { CsvSyntaxError, csvRecords } from "./imports/csv-records.ts";
import { errorCode } from "./imports/error-code.ts";
import { FileTooLargeError, type ImportSource, limitedBytes } from "./imports/import-source.ts";

export type ImportResult =
  | { ok: true; projects: number; people: number }
  /** The first problems (at most MAX_REPORTED_PROBLEMS) and how many there were. */
  | { ok: false; reason: "invalid"; problems: ImportProblem[]; total: number }
  | { ok: false; reason: "too-large"; maxBytes: number }
  /** The database refused or failed; `code` is its error code, for the operator. */
  | { ok: false; reason: "save-failed"; code: string };

const DEFAULT_TIMEZONE = "Europe/Amsterdam";
const CSV_SYNTAX_CODES: Record<CsvSyntaxError["reason"], string> = {
  "quote-not-closed": "csv-syntax",
  "record-too-long": "csv-record-too-long",
  invalid: "csv-invalid",
};

/**
 * Imports projects and people from a CSV (one row per person per project) for an
 * organisation with many teams. All or nothing: the file is checked as it is read (any
 * problem, each named by line and field, and nothing is created), then written in batches
 * in one transaction, so a failed save leaves everything as it was.
 */
export async function importProjects(
  deps: Pick<Deps, "unitOfWork">,
  organisationId: string,
  csv: string | ImportSource,
  actorId: string | null,
  options: { maxBytes?: number } = {},
): Promise<ImportResult> {
  const maxBytes = options.maxBytes ?? PROJECTS_IMPORT_MAX_BYTES;
  const source = typeof csv === "string" ? { name: "import.csv", chunks: [csv] } : csv;
  const planned = await plan(source, maxBytes);
  if (!planned.ok) return planned;
  try {
    return await deps.unitOfWork(`import:${organisationId}`, (stores) =>
      write(stores, organisationId, planned.plan, actorId),
    );
  } catch (error) {
    return { ok: false, reason: "save-failed", code: errorCode(error) };
  }
}

async function plan(
  source: ImportSource,
  maxBytes: number,
): Promise<{ ok: true; plan: ImportPlan } | Extract<ImportResult, { ok: false }>> {
  const planner = createImportPlanner(MAX_REPORTED_PROBLEMS);
  try {
    for await (const record of csvRecords(limitedBytes(source, maxBytes))) planner.add(record);
  } catch (error) {
    if (error instanceof FileTooLargeError) return { ok: false, reason: "too-large", maxBytes };
    if (!(error instanceof CsvSyntaxError)) throw error;
    planner.problem({ line: error.line, field: "*", code: CSV_SYNTAX_CODES[error.reason] });
  }
  const result = planner.finish();
  return result.ok ? result : { ok: false, reason: "invalid", problems: result.problems, total: result.total };
}

async function write(
  stores: Parameters<Parameters<Deps["unitOfWork"]>[1]>[0],
  organisationId: string,
  plan: ImportPlan,
  actorId: string | null,
): Promise<ImportResult> {
  const existing = new Set(await stores.projects.projectNames(organisationId));
  const clashes = plan.projects
    .filter((project) => existing.has(project.name))
    .map((project) => ({ line: project.line, field: "project", code: "project-exists" }));
  if (clashes.length > 0) {
    return {
      ok: false,
      reason: "invalid",
      problems: clashes.slice(0, MAX_REPORTED_PROBLEMS),
      total: clashes.length,
    };
  }
  const ids = await stores.projects.upsertPeople(organisationId, plan.people);
  const byProject = new Map<string, Map<string, ImportedProject["memberships"][number]>>();
  for (const role of plan.roles) {
    const memberships = byProject.get(role.project) ?? new Map();
    byProject.set(role.project, memberships);
    const personId = ids.get(role.email) as string;
    // The same person and role twice: one membership, with the discipline a row gave.
    const key = `${personId}|${role.role}`;
    const discipline = role.discipline ?? memberships.get(key)?.discipline ?? null;
    memberships.set(key, { personId, role: role.role, discipline });
  }
  await stores.projects.createImported(
    plan.projects.map((project) => ({
      organisationId,
      name: project.name,
      phase: project.phase,
      cadence: { ...project.cadence, timezone: DEFAULT_TIMEZONE },
      flags: project.flags,
      memberships: [...(byProject.get(project.name)?.values() ?? [])],
    })),
  );
  await stores.audit.record({
    organisationId,
    actorId,
    kind: "projects.imported",
    subject: organisationId,
    data: { projects: plan.projects.length, people: plan.people.length },
  });
  return { ok: true, projects: plan.projects.length, people: plan.people.length };
}
