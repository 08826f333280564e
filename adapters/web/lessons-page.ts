// GET /lessons: search the lessons library with filters, download the results (CSV, JSON,
// Markdown), add a lesson, and (leads and admins) edit one; behind the web chat's signed
// session. Words come from prompts/lessons.*.yaml; everything people wrote is escaped.

import express, { type Request, type Response, Router } from "express";
import { EXPORT_FORMATS, type ExportFormat } from "../../src/domain/lesson-exchange.ts";
import type { LessonView } from "../../src/ports/lesson-library.ts";
import type { LessonInput, LessonsPage, LessonsPageData, LessonsPageQuery } from "../../src/ports/lessons-page.ts";
import { pageShell } from "./page-shell.ts";
import { escapeHtml } from "./render-html.ts";
import { noticeMain, signedInPage } from "./signed-in-page.ts";
import type { WebRouteContext } from "./web-access.ts";
import type { Viewer } from "./web-config.ts";

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  json: "application/json; charset=utf-8",
  md: "text/markdown; charset=utf-8",
};

type T = (key: string, vars?: Record<string, string | number>) => string;

const field = (value: unknown): string => (typeof value === "string" ? value : "");
const list = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : value ? [field(value)] : [];

function queryOf(request: Request): LessonsPageQuery {
  const q = request.query;
  return {
    q: field(q.q),
    theme: field(q.theme),
    phase: field(q.phase),
    project: field(q.project),
    discipline: field(q.discipline),
  };
}

function inputOf(body: Record<string, unknown>): LessonInput {
  const visibility = field(body.visibility);
  return {
    text: field(body.text),
    context: field(body.context),
    recommendation: field(body.recommendation),
    themes: list(body.themes),
    disciplines: list(body.disciplines) as LessonInput["disciplines"],
    ...(visibility ? { visibility: visibility as LessonInput["visibility"] } : {}),
  };
}

export function createLessonsRouter(context: WebRouteContext, lessons: LessonsPage): Router {
  const router = Router();
  const form = express.urlencoded({ extended: true, limit: "64kb" });

  const guarded = (handler: (request: Request, response: Response, viewer: Viewer) => Promise<void>) =>
    signedInPage(context, "WEB_LESSONS_FAILED", handler);

  const showList = async (response: Response, viewer: Viewer, query: LessonsPageQuery, status = 200, flash = "") => {
    const data = await lessons.search(viewer.id, query);
    if (!data) return void response.status(401).type("text/plain").send("Not signed in");
    const t: T = (key, vars) => context.config.text(viewer.locale, `lessons.${key}`, vars);
    response
      .status(status)
      .type("html")
      .send(pageShell(viewer.locale, t("page.title"), renderLessonsPage(data, query, t, flash)));
  };

  router.get(
    "/lessons",
    guarded(async (request, response, viewer) => showList(response, viewer, queryOf(request))),
  );

  router.get(
    "/lessons/export",
    guarded(async (request, response, viewer) => {
      const format = field(request.query.format) as ExportFormat;
      if (!EXPORT_FORMATS.includes(format)) return void response.status(400).type("text/plain").send("Unknown format");
      const body = await lessons.download(viewer.id, queryOf(request), format);
      if (body === null) return void response.status(401).type("text/plain").send("Not signed in");
      response
        .status(200)
        .set("Content-Disposition", `attachment; filename="lessons.${format}"`)
        .type(CONTENT_TYPES[format])
        .send(body);
    }),
  );

  router.post(
    "/lessons",
    form,
    guarded(async (request, response, viewer) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const result = await lessons.add(viewer.id, inputOf(body), field(body.project));
      const t: T = (key, vars) => context.config.text(viewer.locale, `lessons.${key}`, vars);
      if (result.ok) return void response.redirect(303, `/lessons?added=1`);
      const message = result.error === "no-project" ? t("add.no-project") : t("page.required");
      await showList(response, viewer, queryOf(request), 400, message);
    }),
  );

  router.get(
    "/lessons/:id/edit",
    guarded(async (request, response, viewer) => {
      const found = await lessons.lesson(viewer.id, field(request.params.id));
      const t: T = (key, vars) => context.config.text(viewer.locale, `lessons.${key}`, vars);
      if (!found) {
        return void response
          .status(404)
          .type("html")
          .send(pageShell(viewer.locale, t("page.title"), noticeMain(t("page.edit-title"), t("edit.forbidden"))));
      }
      const data = (await lessons.search(viewer.id, {
        q: "",
        theme: "",
        phase: "",
        project: "",
        discipline: "",
      })) as LessonsPageData;
      response
        .status(200)
        .type("html")
        .send(pageShell(viewer.locale, t("page.edit-title"), renderEditPage(found.lesson, found.revisions, data, t)));
    }),
  );

  router.post(
    "/lessons/:id",
    form,
    guarded(async (request, response, viewer) => {
      const id = field(request.params.id);
      const result = await lessons.edit(viewer.id, id, inputOf((request.body ?? {}) as Record<string, unknown>));
      const t: T = (key, vars) => context.config.text(viewer.locale, `lessons.${key}`, vars);
      if (result.ok) return void response.redirect(303, "/lessons?saved=1");
      const status = result.error === "forbidden" ? 403 : 400;
      const message =
        result.error === "forbidden" ? t("edit.forbidden") : t("edit.invalid", { field: result.field ?? "text" });
      response
        .status(status)
        .type("html")
        .send(pageShell(viewer.locale, t("page.edit-title"), noticeMain(t("page.edit-title"), message)));
    }),
  );
  return router;
}

function options(items: { id: string; label: string }[], selected: string, any: string): string {
  return [`<option value="">${escapeHtml(any)}</option>`]
    .concat(
      items.map(
        (item) =>
          `<option value="${escapeHtml(item.id)}"${item.id === selected ? " selected" : ""}>${escapeHtml(item.label)}</option>`,
      ),
    )
    .join("");
}

function checkboxes(
  name: string,
  legend: string,
  items: { id: string; label: string }[],
  checked: string[],
  hint = "",
): string {
  const boxes = items
    .map((item, index) => {
      const id = `${name}-${index}`;
      return `<li><input type="checkbox" id="${id}" name="${name}" value="${escapeHtml(item.id)}"${checked.includes(item.id) ? " checked" : ""}> <label for="${id}">${escapeHtml(item.label)}</label></li>`;
    })
    .join("");
  return `<fieldset><legend>${escapeHtml(legend)}</legend>${hint ? `<p class="hint">${escapeHtml(hint)}</p>` : ""}<ul class="choices">${boxes}</ul></fieldset>`;
}

function lessonFields(data: LessonsPageData, t: T, lesson?: LessonView): string {
  const visibility = lesson?.visibility ?? "organisation";
  const radios = data.visibilities
    .map(
      (item, index) =>
        `<li><input type="radio" id="visibility-${index}" name="visibility" value="${item.id}"${item.id === visibility ? " checked" : ""}> <label for="visibility-${index}">${escapeHtml(item.label)}</label></li>`,
    )
    .join("");
  return `<p><label for="lesson-text">${escapeHtml(t("page.text"))}</label>
<textarea id="lesson-text" name="text" rows="3" maxlength="2000" required>${escapeHtml(lesson?.text ?? "")}</textarea></p>
<p><label for="lesson-context">${escapeHtml(t("page.context"))}</label>
<textarea id="lesson-context" name="context" rows="2" maxlength="2000">${escapeHtml(lesson?.context ?? "")}</textarea></p>
<p><label for="lesson-recommendation">${escapeHtml(t("page.recommendation"))}</label>
<textarea id="lesson-recommendation" name="recommendation" rows="2" maxlength="2000">${escapeHtml(lesson?.recommendation ?? "")}</textarea></p>
${checkboxes("themes", t("page.themes"), data.themes, lesson?.themes ?? [], t("page.themes-hint"))}
${checkboxes("disciplines", t("page.disciplines"), data.disciplines, lesson?.disciplines ?? [])}
<fieldset><legend>${escapeHtml(t("page.visibility"))}</legend><ul class="choices">${radios}</ul></fieldset>`;
}

function lessonItem(lesson: LessonsPageData["results"][number], data: LessonsPageData, t: T): string {
  const themes = new Map(data.themes.map((theme) => [theme.id, theme.label]));
  const phase = data.phases.find((item) => item.id === lesson.phase)?.label ?? lesson.phase;
  const meta = [
    lesson.projectName ?? lesson.publisher,
    phase,
    lesson.domainLabel,
    lesson.themes.map((id) => themes.get(id) ?? id).join(", "),
    lesson.fromElsewhere
      ? t("item.publisher", { publisher: lesson.publisher, licence: lesson.licence ?? "CC BY 4.0" })
      : "",
    lesson.status === "proposed" ? t("page.status-proposed") : "",
    lesson.usefulCount > 0 ? t("item.feedback", { useful: lesson.usefulCount, count: lesson.usefulCount }) : "",
    lesson.appliedIn.length > 0 ? t("item.applied", { places: lesson.appliedIn.join("; ") }) : "",
  ].filter(Boolean);
  return `<li class="lesson">
<p class="lesson-text">${escapeHtml(lesson.text)}</p>
${lesson.context ? `<p><strong>${escapeHtml(t("item.context"))}</strong>${escapeHtml(lesson.context)}</p>` : ""}
${lesson.recommendation ? `<p><strong>${escapeHtml(t("item.recommendation"))}</strong>${escapeHtml(lesson.recommendation)}</p>` : ""}
<p class="lesson-meta">${escapeHtml(meta.join(" · "))}${lesson.contact && lesson.fromElsewhere ? ` · ${escapeHtml(lesson.contact)}` : ""}</p>
${lesson.editable ? `<p><a href="/lessons/${encodeURIComponent(lesson.id)}/edit">${escapeHtml(t("page.edit"))}<span class="visually-hidden">: ${escapeHtml(lesson.text.slice(0, 60))}</span></a></p>` : ""}
</li>`;
}

export function renderLessonsPage(data: LessonsPageData, query: LessonsPageQuery, t: T, flash: string): string {
  const params = new URLSearchParams(Object.entries(query).filter(([, value]) => value !== ""));
  const download = (format: ExportFormat, key: string) => {
    const link = new URLSearchParams(params);
    link.set("format", format);
    return `<li><a href="/lessons/export?${escapeHtml(link.toString())}" download>${escapeHtml(t(key))}</a></li>`;
  };
  const results =
    data.results.length === 0
      ? `<p>${escapeHtml(t("page.none"))}</p>`
      : `<ol class="lessons">${data.results.map((lesson) => lessonItem(lesson, data, t)).join("\n")}</ol>`;
  const addForm =
    data.projects.length === 0
      ? `<p>${escapeHtml(t("page.no-projects"))}</p>`
      : `<form method="post" action="/lessons" class="lesson-form">
<p><label for="lesson-project">${escapeHtml(t("page.add-project"))}</label>
<select id="lesson-project" name="project">${data.projects.map((project) => `<option value="${escapeHtml(project.id)}">${escapeHtml(project.name)}</option>`).join("")}</select></p>
${lessonFields(data, t)}
<p><button type="submit" class="btn btn-primary">${escapeHtml(t("page.save"))}</button></p>
</form>`;
  return `<a class="skip-link" href="#results">${escapeHtml(t("page.skip"))}</a>
<header class="topbar"><h1>${escapeHtml(t("page.title"))}</h1>
<p><a href="/">${escapeHtml(t("page.chat"))}</a></p></header>
<main id="main" class="lessons-page">
<p>${escapeHtml(t("page.intro"))}</p>
${flash ? `<p role="alert" class="status">${escapeHtml(flash)}</p>` : ""}
<form method="get" action="/lessons" role="search" class="lesson-search">
<p><label for="q">${escapeHtml(t("page.search"))}</label> <input type="search" id="q" name="q" value="${escapeHtml(query.q)}" maxlength="300"></p>
<p><label for="theme">${escapeHtml(t("page.theme"))}</label> <select id="theme" name="theme">${options(data.themes, query.theme, t("page.any"))}</select></p>
<p><label for="phase">${escapeHtml(t("page.phase"))}</label> <select id="phase" name="phase">${options(data.phases, query.phase, t("page.any"))}</select></p>
<p><label for="project">${escapeHtml(t("page.project"))}</label> <input type="text" id="project" name="project" value="${escapeHtml(query.project)}" maxlength="100"></p>
<p><label for="discipline">${escapeHtml(t("page.discipline"))}</label> <select id="discipline" name="discipline">${options(data.disciplines, query.discipline, t("page.any"))}</select></p>
<p><button type="submit" class="btn btn-primary">${escapeHtml(t("page.submit"))}</button></p>
</form>
<section aria-labelledby="results">
<h2 id="results" tabindex="-1">${escapeHtml(t("page.results", { count: data.results.length }))}</h2>
${results}
<h3>${escapeHtml(t("page.download"))}</h3>
<ul class="downloads">${download("csv", "page.csv")}${download("json", "page.json")}${download("md", "page.markdown")}</ul>
</section>
<section aria-labelledby="add-heading">
<h2 id="add-heading">${escapeHtml(t("page.add"))}</h2>
${addForm}
</section>
</main>`;
}

function renderEditPage(lesson: LessonView, revisions: number, data: LessonsPageData, t: T): string {
  return `<header class="topbar"><h1>${escapeHtml(t("page.edit-title"))}</h1>
<p><a href="/lessons">${escapeHtml(t("page.back"))}</a></p></header>
<main id="main" class="lessons-page">
${revisions > 0 ? `<p>${escapeHtml(t("page.history", { count: revisions }))}</p>` : ""}
<form method="post" action="/lessons/${encodeURIComponent(lesson.id)}" class="lesson-form">
${lessonFields(data, t, lesson)}
<p><button type="submit" class="btn btn-primary">${escapeHtml(t("page.save"))}</button></p>
</form>
</main>`;
}
