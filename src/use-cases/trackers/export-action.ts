import { type TrackerKind, type TrackerProblem, trackerMarker, trackerTitle } from "../../domain/tracker.ts";
import type { OutboxItem } from "../../ports/outbox-store.ts";
import { TrackerError, type TrackerExportRecord, type TrackerItem } from "../../ports/tracker.ts";
import { deliverAt } from "../delivery-time.ts";
import type { Deps } from "../deps.ts";
import { formatDay } from "../messages/format-day.ts";
import { reply } from "../messages/reply.ts";
import { trackerName } from "./tracker-words.ts";

/** How long one send holds its export; a worker that dies mid-send lets go after this. */
const LEASE_MS = 60_000;
/** Sends begun before a tracker that keeps failing (429, 5xx) counts as unavailable. */
export const MAX_ATTEMPTS = 8;
const BACKOFF_BASE_MS = 5_000;
const BACKOFF_MAX_MS = 10 * 60_000;

export type ExportOutcome =
  | { kind: "sent"; tracker: TrackerKind; item: TrackerItem }
  | { kind: "failed"; tracker: TrackerKind | null; problem: TrackerProblem; fields: string[] }
  /** The tracker did not answer; try again after `delayMs`. */
  | { kind: "retry"; tracker: TrackerKind; delayMs: number }
  /** Someone else is sending it right now, or the action is gone. */
  | { kind: "busy" };

/** Exponential with jitter, or what the tracker asked for. */
function backoff(attempts: number, retryAfterMs: number | undefined): number {
  if (retryAfterMs !== undefined) return retryAfterMs;
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

function asOutcome(record: TrackerExportRecord, tracker: TrackerKind | null): ExportOutcome {
  const sentTo = record.tracker ?? tracker;
  if (record.status === "sent" && record.externalKey && record.url && sentTo) {
    return { kind: "sent", tracker: sentTo, item: { key: record.externalKey, url: record.url } };
  }
  if (record.status === "failed") {
    return { kind: "failed", tracker, problem: (record.errorCode ?? "unexpected") as TrackerProblem, fields: [] };
  }
  return { kind: "busy" };
}

/** The work item's description, in the organisation's language: where the action was agreed and when it is due. */
async function describe(deps: Deps, actionId: string) {
  const source = await deps.stores.trackers.source(actionId);
  if (!source) return null;
  const project = await deps.stores.retro.project(source.projectId, deps.clock.now());
  const locale = project?.locale ?? "nl";
  const t = (key: string, vars: Record<string, string | number>) => deps.prompts.t(locale, key, vars);
  const lines = [
    source.sequence === null
      ? t("trackers.item.agreed-in-project", { project: source.projectName })
      : t("trackers.item.agreed-in-retro", { project: source.projectName, sequence: source.sequence }),
    ...(source.dueAt ? [t("trackers.item.due", { date: formatDay(source.dueAt, locale) })] : []),
    t("trackers.item.sent-by", {}),
  ];
  return { title: trackerTitle(source.text), description: lines.join("\n") };
}

/**
 * Sends an action to its project's tracker, once. The export row is claimed first, so a
 * double click or a second worker sends nothing more; after a send that may have reached the
 * tracker (any attempt after the first), the item is looked up by its label before another
 * is made, so an answer lost to a crash or a timeout makes no twin.
 */
export async function exportAction(deps: Deps, actionId: string): Promise<ExportOutcome> {
  const { trackers } = deps.stores;
  const claimed = await trackers.claim(actionId, deps.clock.now(), LEASE_MS);
  if (!claimed) {
    const [record] = (await trackers.exports([actionId])).values();
    const settings = record ? await trackers.settings(record.projectId) : null;
    return record ? asOutcome(record, settings?.kind ?? null) : { kind: "busy" };
  }
  const target = await trackers.target(claimed.projectId).catch(() => null);
  const content = await describe(deps, actionId);
  if (!target || !content) {
    await trackers.markFailed(actionId, "not-configured");
    return { kind: "failed", tracker: target?.kind ?? null, problem: "not-configured", fields: [] };
  }
  const client = deps.trackers.clients[target.kind];
  const marker = trackerMarker(actionId);
  try {
    const earlier = claimed.attempts > 1 ? await client.find(target, marker) : null;
    const item = earlier ?? (await client.create(target, { ...content, marker }));
    await trackers.markSent(actionId, { ...item, tracker: target.kind }, deps.clock.now());
    return { kind: "sent", tracker: target.kind, item };
  } catch (error) {
    if (!(error instanceof TrackerError)) {
      await trackers.release(actionId);
      throw error;
    }
    deps.logger.warn(
      { code: "TRACKER_SEND_FAILED", tracker: target.kind, problem: error.problem, attempt: claimed.attempts },
      "a tracker did not take an action",
    );
    if (error.retryable && claimed.attempts < MAX_ATTEMPTS) {
      await trackers.release(actionId);
      return { kind: "retry", tracker: target.kind, delayMs: backoff(claimed.attempts, error.retryAfterMs) };
    }
    await trackers.markFailed(actionId, error.problem);
    return { kind: "failed", tracker: target.kind, problem: error.problem, fields: error.fields };
  }
}

/**
 * A send that failed where nobody was waiting for the answer (sent on agreement, or retried
 * in the background) is told to the project's leads, once per problem per tracker setting:
 * three actions refused for one wrong token make one message.
 */
export async function tellLeadsOfFailure(
  deps: Deps,
  actionId: string,
  outcome: Extract<ExportOutcome, { kind: "failed" }>,
): Promise<void> {
  const source = await deps.stores.trackers.source(actionId);
  if (!source) return;
  const now = deps.clock.now();
  const project = await deps.stores.retro.project(source.projectId, now);
  const settings = await deps.stores.trackers.settings(source.projectId);
  if (!project) return;
  const version = settings?.updatedAt.getTime() ?? 0;
  const items: OutboxItem[] = project.participants.flatMap((lead) => {
    const address = lead.directs[0];
    if (lead.projectRole !== "lead" || !address) return [];
    const tracker = trackerName(deps, lead.locale, outcome.tracker);
    return [
      {
        key: `tracker-failed:${project.id}:${outcome.problem}:${version}:${lead.id}`,
        organisationId: project.organisationId,
        address,
        message: reply(
          deps.prompts,
          lead.locale,
          `trackers.problem.${outcome.problem}`,
          { tracker, fields: outcome.fields.join(", ") || "-" },
          { project: project.name },
        ),
        notBefore: deliverAt(deps.holidays, now, lead.timezone ?? project.timezone, project.quiet),
      },
    ];
  });
  const queued = await deps.stores.outbox.enqueue(items);
  if (queued.length > 0) await deps.dispatcher.deliver(queued);
}

/** A send from the queue (on agreement, or a retry): failures nobody saw go to the leads. */
export async function exportActionInBackground(deps: Deps, actionId: string): Promise<{ retryInMs?: number }> {
  const outcome = await exportAction(deps, actionId);
  if (outcome.kind === "retry") return { retryInMs: outcome.delayMs };
  if (outcome.kind === "failed") await tellLeadsOfFailure(deps, actionId, outcome);
  return {};
}
