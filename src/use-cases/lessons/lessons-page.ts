// What the web adapter's /lessons page needs, in the person's language and within what
// they may see: search with filters, a download of the same results, adding and editing.

import { PHASES } from "../../domain/phase.ts";
import { DISCIPLINES } from "../../domain/role.ts";
import { VISIBILITIES } from "../../ports/lesson-library.ts";
import type { LessonsPage, LessonsPageQuery } from "../../ports/lessons-page.ts";
import type { PersonRecord } from "../../ports/project-records.ts";
import type { Deps } from "../deps.ts";
import { renderExport } from "./lesson-exchange.ts";
import { addLesson, editLesson, mayEdit } from "./manage-lessons.ts";
import { domainLabel, resolveFilters, showsPublisher } from "./search-lessons.ts";

export const PAGE_RESULTS = 50;
const EXPORT_LIMIT = 10_000;

export function createLessonsPage(deps: Deps): LessonsPage {
  const person = (personId: string) => deps.stores.directory.person(personId);

  async function run(viewer: PersonRecord, query: LessonsPageQuery, limit: number) {
    const one = (value: string) => (value.trim() ? [value.trim()] : []);
    const filters = resolveFilters(deps.prompts, {
      themes: one(query.theme),
      phases: one(query.phase),
      projects: one(query.project),
      disciplines: one(query.discipline),
    });
    return deps.stores.library.search({
      viewer: { organisationId: viewer.organisationId, personId: viewer.id },
      query: query.q.slice(0, 300),
      filters,
      limit,
    });
  }

  return {
    async search(personId, query) {
      const viewer = await person(personId);
      if (!viewer) return null;
      const t = (key: string) => deps.prompts.t(viewer.locale, key);
      const results = await run(viewer, query, PAGE_RESULTS);
      const memberships = (await deps.stores.directory.projectsOf(viewer.id)).filter(
        (m) => m.role === "member" || m.role === "lead",
      );
      const projects = [...new Map(memberships.map((m) => [m.projectId, { id: m.projectId, name: m.name }])).values()];
      return {
        locale: viewer.locale,
        displayName: viewer.displayName,
        results: await Promise.all(
          results.map(async (lesson) => ({
            ...lesson,
            editable: await mayEdit(deps, viewer, lesson),
            fromElsewhere: showsPublisher(lesson, viewer.organisationId),
            domainLabel: domainLabel(deps.prompts, viewer.locale, lesson),
          })),
        ),
        themes: deps.prompts.themes(viewer.locale).map((theme) => ({ id: theme.id, label: theme.label })),
        phases: PHASES.map((id) => ({ id, label: t(`phases.${id}`) })),
        disciplines: DISCIPLINES.map((id) => ({ id, label: t(`lessons.disciplines.${id}`) })),
        visibilities: VISIBILITIES.map((id) => ({ id, label: t(`lessons.visibility.${id}`) })),
        projects,
      };
    },

    async download(personId, query, format) {
      const viewer = await person(personId);
      if (!viewer) return null;
      const organisation = await deps.stores.directory.organisation(viewer.organisationId);
      return renderExport(await run(viewer, query, EXPORT_LIMIT), format, {
        prompts: deps.prompts,
        locale: viewer.locale,
        organisation: organisation?.name ?? "",
        now: deps.clock.now(),
      });
    },

    async add(personId, input, projectId) {
      const viewer = await person(personId);
      if (!viewer) return { ok: false, error: "forbidden" };
      return addLesson(deps, viewer, input, null, projectId);
    },

    async lesson(personId, lessonId) {
      const viewer = await person(personId);
      const lesson = viewer ? await deps.stores.library.find(lessonId) : null;
      if (!viewer || !lesson || !(await mayEdit(deps, viewer, lesson))) return null;
      return { lesson, revisions: (await deps.stores.library.revisions(lessonId)).length };
    },

    async edit(personId, lessonId, input) {
      const viewer = await person(personId);
      if (!viewer) return { ok: false, error: "forbidden" };
      return editLesson(deps, viewer, lessonId, input);
    },
  };
}
