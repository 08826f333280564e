// What the web adapter's guest pages need: the retro form behind a guest's answer link (no
// account: the signed link is the whole authentication, for one person and one cycle), saving
// it into the cycle as any participant's answers are saved, and the one-click unsubscribe.

import { formatDateTime } from "../../domain/format-date.ts";
import type { Locale } from "../../domain/locale.ts";
import type { GuestPage, GuestView } from "../../ports/guest-page.ts";
import type { GuestRecord } from "../../ports/guest-store.ts";
import type { PersonRecord } from "../../ports/project-records.ts";
import type { CycleRecord } from "../../ports/retro-store.ts";
import type { Deps } from "../deps.ts";
import { DISCIPLINE_KEY } from "../messages/retro-prompt-message.ts";
import { recordShownForm, splitFormValue } from "../shown-forms.ts";
import { answerValues, openDelivery, storedAnswers, submitAnswers } from "../submit-answers.ts";
import { verifyGuestLink } from "./guest-links.ts";

type Opened = { person: PersonRecord; guest: GuestRecord; cycle: CycleRecord; projectName: string; anonymous: boolean };

export function createGuestPage(deps: Deps): GuestPage {
  const t = (locale: Locale, key: string, vars: Record<string, string | number> = {}) =>
    deps.prompts.t(locale, `guests.page.${key}`, vars);
  const notice = (locale: Locale, status: number, title: string, body: string, vars = {}): GuestView => ({
    kind: "notice",
    status,
    locale,
    title: t(locale, title, vars),
    body: t(locale, body, vars),
  });

  /** The guest and cycle an answer link names, or the page that says why it does not open. */
  async function resolve(token: string, fallback: Locale): Promise<Opened | GuestView> {
    const link = verifyGuestLink(deps, token, deps.clock.now());
    if (!link.ok)
      return notice(fallback, 401, "link-title", link.code === "LINK_EXPIRED" ? "link-expired" : "link-invalid");
    if (link.kind !== "answer") return notice(fallback, 401, "link-title", "link-invalid");
    const [person, cycle] = await Promise.all([
      deps.stores.directory.person(link.personId),
      deps.stores.retro.cycle(link.cycleId),
    ]);
    if (!person || !cycle) return notice(fallback, 401, "link-title", "link-invalid");
    const guest = await deps.stores.guests.guest(cycle.projectId, person.id);
    if (!guest) return notice(person.locale, 403, "link-title", "not-guest");
    const project = await deps.stores.retro.project(cycle.projectId, deps.clock.now());
    if (!project) return notice(guest.locale, 401, "link-title", "link-invalid");
    // The guest's language, also when the organisation's is another.
    return {
      person: { ...person, locale: guest.locale },
      guest,
      cycle,
      projectName: project.name,
      anonymous: project.anonymous,
    };
  }

  async function formView(
    opened: Opened,
    token: string,
    extra: { saved?: boolean; submitted?: Record<string, string>; fieldErrors?: Record<string, string> },
  ): Promise<GuestView> {
    const { person, cycle } = opened;
    const locale = person.locale;
    const vars = { project: opened.projectName, sequence: cycle.sequence };
    const open = await openDelivery(deps, person, cycle.id);
    if ("refused" in open) {
      // No delivery: the link was made for someone this cycle never invited.
      const invited = cycle.status !== "open" || deps.clock.now() >= cycle.closesAt;
      return invited
        ? notice(locale, 200, "closed-title", "closed-body", vars)
        : notice(locale, 403, "link-title", "link-invalid");
    }
    const stored = answerValues(await storedAnswers(deps.stores, cycle.id, open.responseKey));
    const form = await recordShownForm(deps, {
      ownerKey: open.responseKey,
      kind: "retro",
      subject: cycle.id,
      values: stored,
    });
    const closes = formatDateTime(
      cycle.closesAt,
      locale,
      (await deps.stores.retro.project(cycle.projectId, deps.clock.now()))?.timezone,
    );
    const fieldErrors = extra.fieldErrors ?? {};
    return {
      kind: "form",
      form: {
        locale,
        title: t(locale, "title", vars),
        intro: t(locale, "intro", { closes }),
        anonymous: opened.anonymous,
        questions: cycle.questions[locale],
        values: { ...stored, ...(extra.submitted ?? {}) },
        form,
        token,
        saved: extra.saved ? t(locale, "saved", { closes }) : null,
        problem: Object.keys(fieldErrors).length > 0 ? t(locale, "invalid") : null,
        fieldErrors,
      },
    };
  }

  async function unsubscribeTarget(token: string, fallback: Locale) {
    const link = verifyGuestLink(deps, token, deps.clock.now());
    if (!link.ok)
      return notice(fallback, 401, "link-title", link.code === "LINK_EXPIRED" ? "link-expired" : "link-invalid");
    if (link.kind !== "unsubscribe") return notice(fallback, 401, "link-title", "link-invalid");
    const guest = await deps.stores.guests.guest(link.projectId, link.personId);
    const project = guest ? await deps.stores.retro.project(link.projectId, deps.clock.now()) : null;
    if (!guest || !project) return notice(fallback, 403, "link-title", "not-guest");
    return { guest, projectName: project.name, organisationId: project.organisationId };
  }

  return {
    async open(token, fallback, saved = false) {
      const opened = await resolve(token, fallback);
      if ("kind" in opened) return opened;
      return formView(opened, token, { saved });
    },

    async submit(token, body, fallback) {
      const opened = await resolve(token, fallback);
      if ("kind" in opened) return opened;
      const { cycle, person } = opened;
      const keys = new Set(cycle.questions[person.locale].map((question) => question.key));
      // Only the cycle's questions: never the discipline, the token or a field a page made up.
      const answers = Object.fromEntries(
        Object.entries(body).filter(([key]) => keys.has(key) && key !== DISCIPLINE_KEY),
      );
      // A form instance of another cycle counts as shown empty: it changes only what it fills.
      const shown = splitFormValue(body.form ?? "");
      const value = shown.subject === cycle.id ? (body.form as string) : cycle.id;
      const [result] = await submitAnswers(deps, person, value, answers);
      if (result?.fieldErrors) return formView(opened, token, { submitted: answers, fieldErrors: result.fieldErrors });
      if (!result?.replacesSource) return formView(opened, token, {});
      return { kind: "saved" };
    },

    async unsubscribeAsk(token, fallback) {
      const target = await unsubscribeTarget(token, fallback);
      if ("kind" in target) return target;
      const locale = target.guest.locale;
      if (target.guest.unsubscribedAt)
        return notice(locale, 200, "unsubscribe-title", "unsubscribed", { project: target.projectName });
      return {
        kind: "confirm",
        locale,
        title: t(locale, "unsubscribe-title"),
        body: t(locale, "unsubscribe-ask", { project: target.projectName }),
        button: t(locale, "unsubscribe-button"),
        token,
      };
    },

    async unsubscribe(token, fallback) {
      const target = await unsubscribeTarget(token, fallback);
      if ("kind" in target) return target;
      const { guest } = target;
      // A repeated click (mail clients send RFC 8058 posts again) changes nothing more.
      if (await deps.stores.guests.unsubscribe(guest.projectId, guest.personId, deps.clock.now())) {
        await deps.stores.audit.record({
          organisationId: target.organisationId,
          actorId: guest.personId,
          kind: "guest.unsubscribed",
          subject: guest.personId,
          data: { projectId: guest.projectId },
        });
      }
      return notice(guest.locale, 200, "unsubscribe-title", "unsubscribed", { project: target.projectName });
    },
  };
}
