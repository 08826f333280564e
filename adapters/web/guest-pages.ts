// The pages behind a guest's mail (README "Guests"): GET/POST /guest?token= shows and saves the
// retro form of one guest for one cycle, with no account; GET/POST /guest/unsubscribe?token=
// unsubscribes with one click (the POST is RFC 8058's List-Unsubscribe-Post). The signed token is
// the whole authentication; the form is posted from this page, so the same-origin check holds.
import express, { type Request, type Response, Router } from "express";
import type { Locale } from "../../src/domain/locale.ts";
import type { Question } from "../../src/domain/retro-format.ts";
import type { GuestForm, GuestPage, GuestView } from "../../src/ports/guest-page.ts";
import type { Logger } from "../../src/ports/logger.ts";
import { pageShell } from "./page-shell.ts";
import { escapeHtml } from "./render-html.ts";
import { noticeMain, PAGE_HEADERS } from "./signed-in-page.ts";
import { errorCode, errorName } from "./web-access.ts";
import type { WebText } from "./web-config.ts";
import { guessLocale } from "./web-session.ts";

const field = (value: unknown): string => (typeof value === "string" ? value : "");

export function createGuestRouter(input: { guests: GuestPage; text: WebText; logger: Logger }): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: "64kb", parameterLimit: 100 });
  const { guests, text } = input;

  const page =
    (handler: (request: Request, response: Response, locale: Locale) => Promise<void>) =>
    async (request: Request, response: Response): Promise<void> => {
      response.set(PAGE_HEADERS);
      const locale = guessLocale(request);
      try {
        await handler(request, response, locale);
      } catch (error) {
        input.logger.error(
          { code: "WEB_GUEST_FAILED", error: errorName(error), cause: errorCode(error) },
          "guest page failed",
        );
        const title = text(locale, "guests.page.error-title");
        response
          .status(500)
          .type("html")
          .send(pageShell(locale, title, noticeMain(title, text(locale, "guests.page.error-body"))));
      }
    };

  const show = (response: Response, view: GuestView, status = 200) => {
    if (view.kind === "notice") {
      return void response
        .status(view.status)
        .type("html")
        .send(pageShell(view.locale, view.title, noticeMain(view.title, view.body)));
    }
    if (view.kind === "confirm") {
      return void response
        .status(200)
        .type("html")
        .send(pageShell(view.locale, view.title, renderConfirm(view)));
    }
    const t = (key: string, vars?: Record<string, string | number>) =>
      text(view.form.locale, `guests.page.${key}`, vars);
    const code = Object.keys(view.form.fieldErrors).length > 0 ? 400 : status;
    response
      .status(code)
      .type("html")
      .send(pageShell(view.form.locale, view.form.title, renderGuestForm(view.form, t)));
  };

  router.get(
    "/guest",
    page(async (request, response, locale) => {
      show(response, await guests.open(field(request.query.token), locale, request.query.saved === "1"));
    }),
  );

  router.post(
    "/guest",
    form,
    page(async (request, response, locale) => {
      const body = Object.fromEntries(
        Object.entries((request.body ?? {}) as Record<string, unknown>).map(([key, value]) => [key, field(value)]),
      );
      const token = body.token ?? "";
      const result = await guests.submit(token, body, locale);
      // After a save the page is fetched again (POST, redirect, GET): a reload sends nothing twice.
      if (result.kind === "saved")
        return void response.redirect(303, `/guest?token=${encodeURIComponent(token)}&saved=1`);
      show(response, result);
    }),
  );

  router.get(
    "/guest/unsubscribe",
    page(async (request, response, locale) => {
      show(response, await guests.unsubscribeAsk(field(request.query.token), locale));
    }),
  );

  // The mail client's one-click post (body "List-Unsubscribe=One-Click", token in the URL) or
  // the page's own button (token in the form). Either way the token alone decides.
  router.post(
    "/guest/unsubscribe",
    form,
    page(async (request, response, locale) => {
      const token = field(request.query.token) || field((request.body as Record<string, unknown> | undefined)?.token);
      show(response, await guests.unsubscribe(token, locale));
    }),
  );
  return router;
}

function renderConfirm(view: Extract<GuestView, { kind: "confirm" }>): string {
  return `<main id="main" class="notice guest-page"><h1>${escapeHtml(view.title)}</h1><p>${escapeHtml(view.body)}</p>
<form method="post" action="/guest/unsubscribe"><input type="hidden" name="token" value="${escapeHtml(view.token)}">
<button type="submit" class="btn btn-primary">${escapeHtml(view.button)}</button></form></main>`;
}

type T = (key: string, vars?: Record<string, string | number>) => string;

export function renderGuestForm(form: GuestForm, t: T): string {
  const status = form.saved
    ? `<p class="guest-status" role="status">${escapeHtml(form.saved)}</p>`
    : form.problem
      ? `<div class="guest-problem" role="alert"><p>${escapeHtml(form.problem)}</p><ul>${Object.values(form.fieldErrors)
          .map((error) => `<li>${escapeHtml(error)}</li>`)
          .join("")}</ul></div>`
      : "";
  const fields = form.questions.map((question) => renderQuestion(question, form, t)).join("\n");
  return `<main id="main" class="notice guest-page">
<h1>${escapeHtml(form.title)}</h1>
<p>${escapeHtml(form.intro)}</p>
${form.anonymous ? `<p class="hint">${escapeHtml(t("anonymous"))}</p>` : ""}
${status}
<form class="msg-form" method="post" action="/guest">
<input type="hidden" name="token" value="${escapeHtml(form.token)}">
<input type="hidden" name="form" value="${escapeHtml(form.form)}">
${fields}
<div class="msg-form-submit"><button type="submit" class="btn btn-primary">${escapeHtml(t("submit"))}</button></div>
</form>
</main>`;
}

function renderQuestion(question: Question, form: GuestForm, t: T): string {
  const id = `q-${question.key}`;
  const value = form.values[question.key] ?? "";
  const error = form.fieldErrors[question.key];
  const optional = question.required ? "" : ` <span class="required">${escapeHtml(t("optional"))}</span>`;
  const hint = question.hint ? `<p class="hint" id="${id}-hint">${escapeHtml(question.hint)}</p>` : "";
  const errorText = error ? `<p class="field-error" id="${id}-error">${escapeHtml(error)}</p>` : "";
  const described = [question.hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  const aria = `${described ? ` aria-describedby="${described}"` : ""}${error ? ' aria-invalid="true"' : ""}`;
  const required = question.required ? " required" : "";
  if (question.kind === "scale") {
    const range =
      question.minLabel && question.maxLabel
        ? `<p class="hint">${escapeHtml(t("scale-range", { low: question.minLabel, high: question.maxLabel }))}</p>`
        : "";
    const options = [1, 2, 3, 4, 5]
      .map(
        (score) =>
          `<label class="option"><input type="radio" name="${escapeHtml(question.key)}" value="${score}"${value === String(score) ? " checked" : ""}${required}> ${score}</label>`,
      )
      .join("");
    return `<fieldset class="field"${aria}><legend>${escapeHtml(question.text)}${optional}</legend>${hint}${range}${options}${errorText}</fieldset>`;
  }
  const control =
    question.kind === "multiline"
      ? `<textarea id="${id}" name="${escapeHtml(question.key)}" rows="4"${aria}${required}>${escapeHtml(value)}</textarea>`
      : `<input type="text" id="${id}" name="${escapeHtml(question.key)}" value="${escapeHtml(value)}"${aria}${required}>`;
  return `<div class="field"><label for="${id}">${escapeHtml(question.text)}${optional}</label>${hint}${control}${errorText}</div>`;
}
