import { randomUUID } from "node:crypto";
import type { FormInput, Message } from "../../domain/message.ts";
import {
  isJiraCloud,
  TRACKER_EMAIL_MAX,
  TRACKER_KINDS,
  TRACKER_PROJECT_MAX,
  TRACKER_TOKEN_MAX,
  TRACKER_URL_MAX,
  type TrackerKind,
  trackerBaseUrl,
  trackerProject,
  trackerUrl,
} from "../../domain/tracker.ts";
import type { TrackerRequest } from "../../domain/tracker-command.ts";
import type { Address, PersonRecord } from "../../ports/project-records.ts";
import { TrackerError } from "../../ports/tracker.ts";
import type { Deps } from "../deps.ts";
import { leadsProject, ledProject } from "../led-project.ts";
import { fieldErrorsMessage, reply } from "../messages/reply.ts";
import { replyIsPrivate } from "../web-link.ts";
import { trackerName } from "./tracker-words.ts";

export const TRACKER_SUBMIT = "tracker.submit";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** `tracker`, `tracker jira <url> <key>`, `tracker azure <url> <project>`, `tracker auto on|off`, `tracker off`. */
export async function trackerCommand(
  deps: Deps,
  person: PersonRecord,
  where: Address,
  request: TrackerRequest,
): Promise<Message[]> {
  const target = await ledProject(deps, person, where);
  if ("problem" in target) {
    const key = target.problem === "errors.lead-only" ? "trackers.lead-only" : target.problem;
    return [reply(deps.prompts, person.locale, key)];
  }
  const { projectId } = target;
  const settings = await deps.stores.trackers.settings(projectId);
  const name = trackerName(deps, person.locale, settings?.kind ?? null);
  switch (request.kind) {
    case "show": {
      if (!settings) return [reply(deps.prompts, person.locale, "trackers.status.none")];
      const project = (await deps.stores.retro.project(projectId, deps.clock.now()))?.name ?? "";
      return [
        reply(
          deps.prompts,
          person.locale,
          settings.autoSend ? "trackers.status.auto" : "trackers.status.manual",
          { tracker: name },
          { project, key: settings.project, url: settings.baseUrl },
        ),
      ];
    }
    case "auto": {
      if (request.on === null) return [reply(deps.prompts, person.locale, "trackers.auto.unclear")];
      const changed = await deps.stores.trackers.setAutoSend(projectId, request.on, deps.clock.now());
      if (!changed) return [reply(deps.prompts, person.locale, "trackers.status.none")];
      return [
        reply(deps.prompts, person.locale, request.on ? "trackers.auto.on" : "trackers.auto.off", { tracker: name }),
      ];
    }
    case "off": {
      const removed = await deps.stores.trackers.remove(projectId);
      if (removed) {
        await deps.stores.audit.record({
          organisationId: person.organisationId,
          actorId: person.id,
          kind: "tracker.removed",
          subject: projectId,
        });
      }
      return [
        reply(deps.prompts, person.locale, removed ? "trackers.removed" : "trackers.status.none", { tracker: name }),
      ];
    }
    case "set":
      return formWherePrivate(deps, person, where, projectId, request);
  }
}

/**
 * The token is typed into a form only the lead sees: where a reply would show in the channel
 * (Teams), the form goes to the lead's direct chat instead.
 */
async function formWherePrivate(
  deps: Deps,
  person: PersonRecord,
  where: Address,
  projectId: string,
  request: Extract<TrackerRequest, { kind: "set" }>,
): Promise<Message[]> {
  const settings = await deps.stores.trackers.settings(projectId);
  const form = trackerForm(deps, person, projectId, {
    kind: request.tracker ?? settings?.kind ?? "jira",
    url: request.url || settings?.baseUrl || "",
    project: request.project || settings?.project || "",
    autoSend: settings?.autoSend ?? false,
  });
  if (replyIsPrivate(person, where)) return [form];
  const direct = person.directs.find((address) => address.platform === where.platform) ?? person.directs[0];
  if (!direct) return [reply(deps.prompts, person.locale, "trackers.form.direct-only")];
  const queued = await deps.stores.outbox.enqueue([
    {
      key: `tracker-form:${projectId}:${person.id}:${randomUUID()}`,
      organisationId: person.organisationId,
      address: direct,
      message: form,
    },
  ]);
  await deps.dispatcher.deliver(queued);
  return [reply(deps.prompts, person.locale, "trackers.form.sent-privately")];
}

function trackerForm(
  deps: Deps,
  person: PersonRecord,
  projectId: string,
  values: { kind: TrackerKind; url: string; project: string; autoSend: boolean },
): Message {
  const t = (key: string) => deps.prompts.t(person.locale, key);
  const inputs: FormInput[] = [
    {
      kind: "choice",
      key: "kind",
      label: t("trackers.field.kind"),
      required: true,
      options: TRACKER_KINDS.map((kind) => ({ value: kind, label: t(`trackers.name.${kind}`) })),
      value: values.kind,
    },
    {
      kind: "text",
      key: "url",
      label: t("trackers.field.url"),
      required: true,
      maxLength: TRACKER_URL_MAX,
      value: values.url,
    },
    {
      kind: "text",
      key: "project",
      label: t("trackers.field.project"),
      required: true,
      maxLength: TRACKER_PROJECT_MAX,
      value: values.project,
    },
    { kind: "text", key: "email", label: t("trackers.field.email"), required: false, maxLength: TRACKER_EMAIL_MAX },
    {
      kind: "text",
      key: "token",
      label: t("trackers.field.token"),
      required: true,
      maxLength: TRACKER_TOKEN_MAX,
      secret: true,
    },
    {
      kind: "choice",
      key: "auto",
      label: t("trackers.field.auto"),
      required: true,
      options: [
        { value: "yes", label: t("trackers.field.auto-yes") },
        { value: "no", label: t("trackers.field.auto-no") },
      ],
      value: values.autoSend ? "yes" : "no",
    },
  ];
  return {
    fallback: t("trackers.form.title"),
    blocks: [
      { type: "heading", text: [t("trackers.form.title")] },
      { type: "paragraph", text: [t("trackers.form.intro")] },
      {
        type: "form",
        formId: "tracker",
        title: t("trackers.form.title"),
        inputs,
        submit: { actionId: TRACKER_SUBMIT, label: t("trackers.form.submit"), value: projectId, style: "primary" },
      },
    ],
  };
}

type Checked =
  | { ok: true; kind: TrackerKind; url: string; project: string; email?: string; token: string; autoSend: boolean }
  | { ok: false; problems: Record<string, string> };

function validate(deps: Deps, answers: Record<string, string>): Checked {
  const kind = TRACKER_KINDS.find((known) => known === answers.kind) ?? null;
  const typed = trackerUrl(answers.url ?? "", { allowHttp: deps.trackers.allowHttp });
  const url = typed && kind ? trackerBaseUrl(kind, typed) : typed;
  const project = kind ? trackerProject(kind, answers.project ?? "") : null;
  const email = (answers.email ?? "").trim();
  const token = (answers.token ?? "").trim();
  const problems: Record<string, string> = {};
  if (!kind) problems.kind = "kind";
  if (!url) problems.url = "url";
  if (!project) problems.project = kind === "azure-devops" ? "project-azure" : "project-jira";
  if (email && (kind !== "jira" || !EMAIL.test(email))) problems.email = kind === "jira" ? "email" : "email-not-here";
  if (!email && kind === "jira" && url && isJiraCloud(url)) problems.email = "email-cloud";
  if (!token || token.length > TRACKER_TOKEN_MAX) problems.token = "token";
  if (!kind || !url || !project || Object.keys(problems).length > 0) return { ok: false, problems };
  return { ok: true, kind, url, project, token, autoSend: answers.auto === "yes", ...(email ? { email } : {}) };
}

function invalid(deps: Deps, person: PersonRecord, problems: Record<string, string>): Message {
  const fieldErrors = Object.fromEntries(
    Object.entries(problems).map(([key, code]) => [
      key,
      deps.prompts.t(person.locale, `trackers.field-problem.${code}`),
    ]),
  );
  return fieldErrorsMessage(deps.prompts.t(person.locale, "trackers.form.invalid"), fieldErrors);
}

/**
 * Checks the token and the project with the tracker itself before anything is stored, so a
 * wrong token or project is said next to its field now, not at the first send.
 */
export async function submitTracker(
  deps: Deps,
  person: PersonRecord,
  projectId: string,
  answers: Record<string, string>,
): Promise<Message[]> {
  if (!(await leadsProject(deps, person, projectId))) return [reply(deps.prompts, person.locale, "trackers.lead-only")];
  const checked = validate(deps, answers);
  if (!checked.ok) return [invalid(deps, person, checked.problems)];
  const credentials = { token: checked.token, ...(checked.email ? { email: checked.email } : {}) };
  const target = { kind: checked.kind, baseUrl: checked.url, project: checked.project, credentials };
  let project: string;
  try {
    project = (await deps.trackers.clients[checked.kind].check(target)).project;
  } catch (error) {
    if (!(error instanceof TrackerError)) throw error;
    const field = { unauthorized: "token", forbidden: "token", "not-found": "project" }[error.problem as string];
    const name = trackerName(deps, person.locale, checked.kind);
    const message = reply(deps.prompts, person.locale, `trackers.check.${error.problem}`, { tracker: name });
    return [field ? { ...message, fieldErrors: { [field]: message.fallback } } : message];
  }
  const at = deps.clock.now();
  await deps.stores.trackers.configure({
    projectId,
    kind: checked.kind,
    baseUrl: checked.url,
    project,
    credentials,
    autoSend: checked.autoSend,
    at,
  });
  await deps.stores.audit.record({
    organisationId: person.organisationId,
    actorId: person.id,
    kind: "tracker.configured",
    subject: projectId,
    data: { tracker: checked.kind },
  });
  const name = trackerName(deps, person.locale, checked.kind);
  const key = checked.autoSend ? "trackers.configured.auto" : "trackers.configured.manual";
  return [{ ...reply(deps.prompts, person.locale, key, { tracker: name }, { project }), replacesSource: true }];
}
