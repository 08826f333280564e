import type { Address, PersonRecord, ProjectRecord } from "../ports/project-records.ts";
import type { Deps } from "./deps.ts";

/**
 * The project a lead's command is about: the project of the channel it was typed in, or
 * the only project they lead. Admins may act on any project of their organisation's channels.
 */
export async function ledProject(
  deps: Deps,
  person: PersonRecord,
  where: Address,
): Promise<{ projectId: string } | { problem: "errors.lead-only" | "retro.now.which-project" }> {
  const projects = await deps.stores.directory.projectsOf(person.id);
  const inChannel = await deps.stores.directory.projectByChannel(where);
  const led = projects.filter((project) => project.role === "lead").map((project) => project.projectId);
  const projectId = inChannel ?? (led.length === 1 ? led[0] : undefined);
  if (!projectId) return { problem: led.length > 1 ? "retro.now.which-project" : "errors.lead-only" };
  if (led.includes(projectId)) return { projectId };
  // An admin acts as the lead of any project, but only of their own organisation.
  const project = person.roles.includes("admin") ? await deps.stores.retro.project(projectId, deps.clock.now()) : null;
  if (project?.organisationId !== person.organisationId) return { problem: "errors.lead-only" };
  return { projectId };
}

/** Whether the person leads the project, or is an admin of its organisation (who may act as its lead). */
export async function leadsProject(deps: Deps, person: PersonRecord, projectId: string): Promise<boolean> {
  const memberships = await deps.stores.directory.projectsOf(person.id);
  if (memberships.some((m) => m.projectId === projectId && m.role === "lead")) return true;
  if (!person.roles.includes("admin")) return false;
  const project = await deps.stores.retro.project(projectId, deps.clock.now());
  return project?.organisationId === person.organisationId;
}

/** The ids of the project's leads: the people who decide on its lessons. */
export function leadIdsOf(project: Pick<ProjectRecord, "participants">): string[] {
  return project.participants.filter((person) => person.projectRole === "lead").map((person) => person.id);
}
