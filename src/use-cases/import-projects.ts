import { CsvSyntaxError, parseCsv } from "../domain/lesson-csv.ts";
import { type ImportProblem, planImport } from "../domain/project-import.ts";
import type { Deps } from "./deps.ts";

export type ImportResult = { ok: true; projects: number; people: number } | { ok: false; problems: ImportProblem[] };

const DEFAULT_TIMEZONE = "Europe/Amsterdam";

/**
 * Imports projects and people from a CSV (one row per person per project) for an
 * organisation with many teams. All or nothing: any problem, each named by line and
 * field, and nothing is created.
 */
export async function importProjects(
  deps: Pick<Deps, "unitOfWork">,
  organisationId: string,
  csv: string,
  actorId: string | null,
): Promise<ImportResult> {
  let records: ReturnType<typeof parseCsv>;
  try {
    records = parseCsv(csv);
  } catch (error) {
    if (error instanceof CsvSyntaxError)
      return { ok: false, problems: [{ line: error.line, field: "*", code: "csv-syntax" }] };
    throw error;
  }
  const planned = planImport(records);
  if (!planned.ok) return planned;
  const { plan } = planned;
  return deps.unitOfWork(`import:${organisationId}`, async (stores) => {
    const existing = new Set(await stores.projects.projectNames(organisationId));
    const clashes = plan.projects
      .filter((project) => existing.has(project.name))
      .map((project) => ({ line: project.line, field: "project", code: "project-exists" }));
    if (clashes.length > 0) return { ok: false, problems: clashes };
    const ids = await stores.projects.upsertPeople(organisationId, plan.people);
    const idOf = (email: string) => ids.get(email) as string;
    for (const project of plan.projects) {
      const roles = plan.roles.filter((role) => role.project === project.name);
      const lead = roles.find((role) => role.role === "lead") as (typeof roles)[number];
      const projectId = await stores.projects.create({
        organisationId,
        name: project.name,
        phase: project.phase,
        cadence: { ...project.cadence, timezone: DEFAULT_TIMEZONE },
        channel: null,
        leadId: idOf(lead.email),
        managerIds: [],
        adviserIds: [],
        memberIds: [],
        flags: project.flags,
      });
      for (const role of roles) {
        await stores.projects.setRole(projectId, idOf(role.email), role.role, true, role.discipline);
      }
    }
    await stores.audit.record({
      organisationId,
      actorId,
      kind: "projects.imported",
      subject: organisationId,
      data: { projects: plan.projects.length, people: plan.people.length },
    });
    return { ok: true, projects: plan.projects.length, people: plan.people.length };
  });
}
