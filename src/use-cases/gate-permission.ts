import type { PersonRecord } from "../ports/project-records.ts";
import type { Deps } from "./deps.ts";

/** Whether the person decides on this project's checkpoints and gates: one of its managers, or an admin of its organisation. */
export async function mayDecide(deps: Deps, person: PersonRecord, projectId: string): Promise<boolean> {
  const planning = await deps.stores.gates.planning(projectId);
  if (!planning || planning.organisationId !== person.organisationId) return false;
  if (person.roles.includes("admin")) return true;
  const memberships = await deps.stores.directory.projectsOf(person.id);
  return memberships.some((membership) => membership.projectId === projectId && membership.role === "manager");
}
