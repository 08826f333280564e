import { formatDateTime } from "../domain/format-date.ts";
import type { Platform } from "../domain/inbound-event.ts";
import { type Block, type Message, type Text, withUserText } from "../domain/message.ts";
import type { ActivePhase } from "../domain/phase.ts";
import { isEnded, PHASES } from "../domain/phase.ts";
import type { PersonRecord } from "../ports/project-records.ts";
import type { Deps } from "./deps.ts";
import { OPEN_FORM_ACTION } from "./open-retro-form.ts";
import { nextRetroOf } from "./retro-schedule.ts";
import { ADVISERS_AUDIENCE } from "./send-digest.ts";
import { actionTracking } from "./trackers/action-links.ts";
import { webLinkBlocks } from "./web-command.ts";

/** Enough to act on at a glance; everything else is one command away. */
const MAX_ITEMS = 10;

/**
 * A person's overview (Slack's App Home): retros waiting for their answer, open actions of
 * their projects, their projects with phase and next retro, for managers the open
 * checkpoints, for advisers where the latest digest is. Never anyone else's answers.
 */
export async function homeView(deps: Deps, person: PersonRecord): Promise<Message> {
  const { stores, prompts } = deps;
  const now = deps.clock.now();
  const t = (key: string, vars?: Record<string, string | number>) => prompts.t(person.locale, key, vars);
  const when = (date: Date) => formatDateTime(date, person.locale);
  const memberships = await stores.directory.projectsOf(person.id);
  const projectIds = [...new Set(memberships.map((m) => m.projectId))];
  const projects = (await Promise.all(projectIds.map((id) => stores.retro.project(id, now)))).filter(
    (project) => project !== null,
  );
  const blocks: Block[] = [
    { type: "heading", text: withUserText((user) => t("home.heading", user), { name: person.displayName }) },
  ];

  const waiting: Block[] = [];
  const overview: { label: string; value: Text }[] = [];
  for (const project of projects) {
    const cycle = await stores.retro.latestCycle(project.id);
    const open = cycle?.status === "open" && now < cycle.closesAt ? cycle : undefined;
    if (open) {
      const mine = (await stores.retro.deliveries(open.id)).find((d) => d.personId === person.id);
      if (mine && !mine.answeredAt && waiting.length < MAX_ITEMS * 2) {
        waiting.push(
          {
            type: "paragraph",
            text: withUserText(
              (user) => t("home.waiting.item", { ...user, sequence: open.sequence, closes: when(open.closesAt) }),
              { project: project.name },
            ),
          },
          {
            type: "actions",
            buttons: [{ actionId: OPEN_FORM_ACTION, label: t("home.answer"), value: open.id, style: "primary" }],
          },
        );
      }
    }
    const next = open
      ? t("home.projects.open-until", { closes: when(open.closesAt) })
      : project.active && !isEnded(project.phase)
        ? t("home.projects.next", {
            date: when(
              new Date(Math.max(nextRetroOf(deps, project, cycle ?? null, now).opensAt.getTime(), now.getTime())),
            ),
          })
        : t("home.projects.no-retro");
    overview.push({
      label: project.name,
      value: [t("home.projects.phase", { phase: t(`phases.${project.phase}`) }), " · ", next],
    });
  }
  blocks.push({ type: "heading", text: [t("home.waiting.title")] });
  blocks.push(...(waiting.length > 0 ? waiting : [{ type: "context", text: [t("home.waiting.none")] } as Block]));

  const actions = (await stores.retro.openActions(projectIds)).slice(0, MAX_ITEMS);
  const tracking = await actionTracking(deps, stores, actions);
  blocks.push({ type: "heading", text: [t("home.actions.title")] });
  blocks.push(
    actions.length > 0
      ? {
          type: "list",
          items: actions.map(
            (action): Text => [
              { user: action.text },
              ...withUserText((user) => t("home.actions.where", user), { project: action.projectName }),
              ...(action.ownerNames.length > 0
                ? withUserText((user) => t("home.actions.owner", user), { owner: action.ownerNames.join(", ") })
                : []),
              ...tracking.spans(action.id, person.locale),
            ],
          ),
        }
      : { type: "context", text: [t("home.actions.none")] },
  );

  blocks.push({ type: "heading", text: [t("home.projects.title")] });
  blocks.push(
    overview.length > 0
      ? { type: "fields", fields: overview.slice(0, MAX_ITEMS) }
      : { type: "context", text: [t("home.projects.none")] },
  );

  const managed = projects.filter((project) =>
    memberships.some((m) => m.projectId === project.id && m.role === "manager"),
  );
  if (managed.length > 0 || person.roles.includes("manager")) {
    const items: Text[] = [];
    for (const project of managed) {
      if (!PHASES.includes(project.phase as ActivePhase)) continue;
      const phase = project.phase as ActivePhase;
      const questions = new Map(prompts.checkpoints(phase, person.locale).map((d) => [d.key, d.question]));
      for (const checkpoint of await stores.checkpoints.open(project.id, phase)) {
        items.push([
          t("home.checkpoints.item", {
            project: project.name,
            checkpoint: questions.get(checkpoint.key) ?? checkpoint.key,
            due: when(checkpoint.dueAt),
          }),
        ]);
      }
    }
    blocks.push({ type: "heading", text: [t("home.checkpoints.title")] });
    blocks.push(
      items.length > 0
        ? { type: "list", items: items.slice(0, MAX_ITEMS) }
        : { type: "context", text: [t("home.checkpoints.none")] },
    );
  }

  if (person.roles.includes("adviser")) {
    const latest = await stores.digests.lastPeriodEnd(person.organisationId, ADVISERS_AUDIENCE);
    blocks.push({ type: "heading", text: [t("home.digest.title")] });
    blocks.push({
      type: "paragraph",
      text: [latest ? t("home.digest.latest", { until: when(latest) }) : t("home.digest.none")],
    });
  }
  // The Home tab is the person's own: their signed links to the web pages belong here.
  blocks.push(...(await webLinkBlocks(deps, person)));
  blocks.push({ type: "context", text: [t("home.footer")] });
  return { fallback: t("home.heading", { name: person.displayName }), blocks };
}

/** The home view of whoever a platform identity belongs to; null for someone Leerlus does not know. */
export async function homeViewFor(
  deps: Deps,
  who: { platform: Platform; tenantId: string; platformUserId: string },
): Promise<Message | null> {
  const person = await deps.stores.directory.personByIdentity(who.platform, who.tenantId, who.platformUserId);
  return person ? homeView(deps, person) : null;
}
