import { z } from "zod";
import { DEFAULT_LICENCE } from "../../domain/lesson-text.ts";
import type { Message } from "../../domain/message.ts";
import { DISCIPLINES } from "../../domain/role.ts";
import { type LessonEdit, type LessonView, VISIBILITIES } from "../../ports/lesson-library.ts";
import type { LessonInput, LessonResult } from "../../ports/lessons-page.ts";
import type { Address, PersonRecord } from "../../ports/project-records.ts";
import type { Deps } from "../deps.ts";
import { reply } from "../messages/reply.ts";
import { suggestThemesFor } from "./lesson-themes.ts";

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((value) => (value === "" ? null : value))
    .nullable()
    .optional();

/** What a person may write into a lesson, on the page or in chat. */
export const lessonInputSchema = z.object({
  text: z.string().trim().min(1).max(2000),
  context: optionalText(2000),
  recommendation: optionalText(2000),
  themes: z
    .array(z.string().regex(/^[a-z0-9-]+$/))
    .max(11)
    .optional(),
  disciplines: z.array(z.enum(DISCIPLINES)).max(DISCIPLINES.length).optional(),
  visibility: z.enum(VISIBILITIES).optional(),
});

/** Where a manual lesson belongs: the channel's project, else the person's only project. */
async function projectFor(deps: Deps, person: PersonRecord, where: Address | null, projectId?: string) {
  const projects = (await deps.stores.directory.projectsOf(person.id)).filter(
    (project) => project.role === "member" || project.role === "lead",
  );
  if (projectId) return projects.find((project) => project.projectId === projectId) ?? null;
  const channelProject = where ? await deps.stores.directory.projectByChannel(where) : null;
  if (channelProject) return projects.find((project) => project.projectId === channelProject) ?? null;
  const unique = [...new Map(projects.map((project) => [project.projectId, project])).values()];
  return unique.length === 1 ? (unique[0] ?? null) : null;
}

/** A manual lesson by a team member: confirmed, with themes suggested when none were chosen. */
export async function addLesson(
  deps: Deps,
  person: PersonRecord,
  input: LessonInput,
  where: Address | null,
  projectId?: string,
): Promise<LessonResult> {
  const parsed = lessonInputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: "invalid", field: String(issue?.path[0] ?? "text") };
  }
  const project = await projectFor(deps, person, where, projectId);
  if (!project) return { ok: false, error: "no-project" };
  const record = await deps.stores.retro.project(project.projectId, deps.clock.now());
  if (!record) return { ok: false, error: "no-project" };
  const lesson = parsed.data;
  const themes =
    lesson.themes && lesson.themes.length > 0
      ? lesson.themes
      : ((
          await suggestThemesFor(deps.stores.library, deps.prompts, person.locale, [
            [lesson.text, lesson.context ?? "", lesson.recommendation ?? ""].join(" "),
          ])
        )[0] ?? []);
  const visibility = lesson.visibility ?? "organisation";
  const lessonId = await deps.stores.library.create({
    organisationId: person.organisationId,
    projectId: project.projectId,
    phase: record.phase,
    text: lesson.text,
    context: lesson.context ?? null,
    recommendation: lesson.recommendation ?? null,
    themes,
    disciplines: lesson.disciplines ?? [],
    source: "manual",
    visibility,
    status: "confirmed",
    publisher: null,
    licence: visibility === "shared" ? DEFAULT_LICENCE : null,
    contact: null,
    appliedIn: [],
  });
  return { ok: true, lessonId };
}

/** `lesson add <text>` in chat. */
export async function addLessonCommand(
  deps: Deps,
  person: PersonRecord,
  text: string,
  where: Address,
): Promise<Message[]> {
  if (text.trim() === "") return [reply(deps.prompts, person.locale, "lessons.add.usage")];
  const result = await addLesson(deps, person, { text }, where);
  if (!result.ok) {
    return [
      result.error === "no-project"
        ? reply(deps.prompts, person.locale, "lessons.add.no-project")
        : reply(deps.prompts, person.locale, "lessons.edit.invalid", { field: result.field ?? "text" }),
    ];
  }
  const lesson = (await deps.stores.library.find(result.lessonId)) as LessonView;
  const labels = new Map(deps.prompts.themes(person.locale).map((theme) => [theme.id, theme.label]));
  const themes = lesson.themes.map((id) => labels.get(id) ?? id).join(", ");
  return [
    reply(deps.prompts, person.locale, "lessons.add.added", {
      project: lesson.projectName ?? "",
      themes: themes || deps.prompts.t(person.locale, "lessons.add.no-themes"),
    }),
  ];
}

/** Whether the person may change the lesson: the lead of its project, or an admin of its organisation. */
export async function mayEdit(deps: Deps, person: PersonRecord, lesson: LessonView): Promise<boolean> {
  if (lesson.organisationId !== person.organisationId) return false;
  if (person.roles.includes("admin")) return true;
  const projects = await deps.stores.directory.projectsOf(person.id);
  return projects.some((project) => project.projectId === lesson.projectId && project.role === "lead");
}

/** Changes text, context, recommendation, themes, disciplines or visibility, keeping the old version. */
export async function editLesson(
  deps: Deps,
  person: PersonRecord,
  lessonId: string,
  input: LessonInput,
): Promise<LessonResult> {
  const lesson = await deps.stores.library.find(lessonId);
  if (!lesson || !(await mayEdit(deps, person, lesson))) return { ok: false, error: "forbidden" };
  const parsed = lessonInputSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, error: "invalid", field: String(parsed.error.issues[0]?.path[0] ?? "text") };
  }
  const edit: LessonEdit = {
    text: parsed.data.text,
    context: parsed.data.context ?? null,
    recommendation: parsed.data.recommendation ?? null,
    ...(parsed.data.themes ? { themes: parsed.data.themes } : {}),
    ...(parsed.data.disciplines ? { disciplines: parsed.data.disciplines } : {}),
    ...(parsed.data.visibility ? { visibility: parsed.data.visibility } : {}),
  };
  await deps.unitOfWork(`lesson:${lessonId}`, (stores) => stores.library.edit(lessonId, edit, person.id));
  return { ok: true, lessonId };
}
