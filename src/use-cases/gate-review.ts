import { randomUUID } from "node:crypto";
import {
  decisionsFor,
  GATE_DECISIONS,
  type GateDecisionKind,
  HOLD_DEFAULT_WEEKS,
  isActivePhase,
  mustMeetProgress,
  parseGateDate,
  phaseAfter,
  phaseTargets,
  plannedGate,
} from "../domain/gate.ts";
import type { Locale } from "../domain/locale.ts";
import type { Message } from "../domain/message.ts";
import { type ActivePhase, isEnded, PHASES } from "../domain/phase.ts";
import type { OutboxItem, Queued } from "../ports/outbox-store.ts";
import type { PersonRecord } from "../ports/project-records.ts";
import { closeCycle } from "./close-cycle.ts";
import { deliverAt } from "./delivery-time.ts";
import type { Deps } from "./deps.ts";
import { mayDecide } from "./gate-permission.ts";
import { lessonsForNewPhase } from "./lessons/learn-from-others.ts";
import { forChannel } from "./messages/channel-message.ts";
import { formatDay } from "./messages/format-day.ts";
import { reply } from "./messages/reply.ts";
import { openCycle } from "./open-cycle.ts";
import { blocksGate, planCheckpoints } from "./plan-checkpoints.ts";
import { checkpointQuestion } from "./resolve-checkpoint.ts";

export const GATE_REVIEW_ACTION = "gate.review";
export const GATE_DECIDE_ACTION = "gate.decide";

/** The format of the closing retro a stopped or finished project's team gets. */
export const CLOSING_RETRO_FORMAT = "after-action-review";

const REASON_MAX = 1000;
const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/** The gate review form: Go / Hold / Recycle / Stop, a reason, and optionally the next gate date. */
export async function openGateReview(deps: Deps, person: PersonRecord, projectId: string): Promise<Message[]> {
  const { prompts } = deps;
  const t = (key: string, vars?: Record<string, string | number>) => prompts.t(person.locale, key, vars);
  if (!(await mayDecide(deps, person, projectId))) return [reply(prompts, person.locale, "gates.not-allowed")];
  const planning = await deps.stores.gates.planning(projectId);
  if (!planning) return [reply(prompts, person.locale, "errors.not-found")];
  const phase = planning.phase;
  if (!isActivePhase(phase))
    return [reply(prompts, person.locale, `gates.review.${phase}`, {}, { project: planning.name })];
  const gate = plannedGate({ ...planning, phase, targets: phaseTargets(planning.phaseTargets) });
  const planned = await deps.unitOfWork(`project:${projectId}`, (tx) =>
    planCheckpoints(deps, tx, planning, phase, { phaseSince: planning.phaseSince, gateDate: planning.gateDate }),
  );
  const checkpoints = planned.filter((checkpoint) => !checkpoint.ahead);
  const blocking = planned
    .filter(blocksGate)
    .map((checkpoint) => checkpointQuestion(deps, checkpoint.phase, checkpoint.key, person.locale) ?? checkpoint.key);
  const progress = mustMeetProgress(checkpoints);
  const openMust = checkpoints
    .filter((checkpoint) => checkpoint.mustMeet && checkpoint.status === "open")
    .map((checkpoint) => checkpointQuestion(deps, phase, checkpoint.key, person.locale) ?? checkpoint.key);
  const phaseName = (p: string) => t(`phases.${p}`);
  const index = PHASES.indexOf(phase);
  const title = t("gates.review.title", { project: planning.name });
  return [
    {
      fallback: title,
      blocks: [
        {
          type: "paragraph",
          text: [
            t("gates.review.intro", {
              project: planning.name,
              phase: phaseName(phase),
              since: formatDay(planning.phaseSince, person.locale),
              gate: formatDay(gate, person.locale),
              done: progress.done,
              total: progress.total,
            }),
          ],
        },
        ...(openMust.length > 0
          ? [
              {
                type: "context" as const,
                text: [t("gates.review.open-must-meet", { checkpoints: openMust.join("; ") })],
              },
            ]
          : []),
        ...(blocking.length > 0
          ? [
              {
                type: "context" as const,
                text: [t("gates.review.blocking", { checkpoints: blocking.join("; ") })],
              },
            ]
          : []),
        {
          type: "form",
          formId: `gate-${projectId}`,
          title,
          inputs: [
            {
              kind: "choice",
              key: "decision",
              label: t("gates.review.decision"),
              required: true,
              options: decisionsFor(phase).map((decision) => ({
                value: decision,
                label: t(`gates.review.decisions.${decision}`, {
                  phase: phaseName(phase),
                  next: phaseName(PHASES[index + 1] ?? phase),
                  previous: phaseName(PHASES[index - 1] ?? phase),
                }),
              })),
            },
            {
              kind: "multiline",
              key: "reason",
              label: t("gates.review.reason"),
              required: true,
              maxLength: REASON_MAX,
            },
            { kind: "text", key: "gate-date", label: t("gates.review.gate-date"), required: false, maxLength: 20 },
          ],
          // The phase rides along, so a review opened before someone else decided cannot apply twice.
          submit: {
            actionId: GATE_DECIDE_ACTION,
            label: t("gates.review.submit"),
            // And a key per form instance, so the same form sent twice records one decision.
            value: `${projectId}:${phase}:${randomUUID()}`,
            style: "primary",
          },
        },
      ],
    },
  ];
}

type Decided =
  | { ok: true; queued: Queued[]; gate: Date | null }
  | { ok: false; stale: string }
  | { ok: false; blocked: string[] }
  | { ok: false; sentBefore: true };

/** A review form's key: a UUID; older forms had none. */
const FORM_KEY = /^[\w-]{8,64}$/;

/**
 * Records a gate decision: Go moves the project to the next phase (its retros follow, the
 * next phase's checkpoints are created), Hold sets a new gate date, Recycle goes back a
 * phase, Stop ends it and opens a closing retro for the team. Always an audit event.
 */
export async function decideGate(
  deps: Deps,
  person: PersonRecord,
  value: string,
  answers: Record<string, string>,
): Promise<Message[]> {
  const { prompts } = deps;
  const t = (key: string, vars?: Record<string, string | number>) => prompts.t(person.locale, key, vars);
  const [projectId = "", reviewedPhase = "", key = ""] = value.split(":");
  const formKey = FORM_KEY.test(key) ? key : null;
  if (!(await mayDecide(deps, person, projectId))) return [reply(prompts, person.locale, "gates.not-allowed")];
  const now = deps.clock.now();
  const decision = (GATE_DECISIONS as readonly string[]).includes(answers.decision ?? "")
    ? (answers.decision as GateDecisionKind)
    : undefined;
  const reason = (answers.reason ?? "").trim().slice(0, REASON_MAX);
  const dateText = (answers["gate-date"] ?? "").trim();
  const typedGate = dateText ? parseGateDate(dateText, now) : null;
  const problems: Record<string, string> = {};
  if (!decision || !isActivePhase(reviewedPhase) || !phaseAfter(reviewedPhase, decision)) {
    problems.decision = t("gates.review.problem.decision");
  }
  if (reason === "") problems.reason = t("gates.review.problem.reason");
  if (dateText && !typedGate) problems["gate-date"] = t("gates.review.problem.gate-date");
  if (!decision || Object.keys(problems).length > 0) {
    const text = Object.values(problems).join(" ");
    return [{ fallback: text, blocks: [{ type: "paragraph", text: [text] }], fieldErrors: problems }];
  }
  const fromPhase = reviewedPhase as ActivePhase;
  const toPhase = phaseAfter(fromPhase, decision) ?? fromPhase;

  const result = await deps.unitOfWork(`project:${projectId}`, async (tx): Promise<Decided> => {
    // Under the project's lock, so a second send of the same form (even at once) finds the first.
    if (formKey && (await tx.gates.decidedWithForm(formKey))) return { ok: false, sentBefore: true };
    const planning = await tx.gates.planning(projectId);
    const before = await tx.retro.project(projectId, now);
    if (!planning || !before) return { ok: false, stale: "stopped" };
    if (planning.phase !== fromPhase) return { ok: false, stale: planning.phase };
    const targets = phaseTargets(planning.phaseTargets);
    if (decision === "go" || decision === "finish") {
      // Before-start checkpoints of the phase ahead guard this gate: open ones refuse it.
      const planned = await planCheckpoints(deps, tx, planning, fromPhase, {
        phaseSince: planning.phaseSince,
        gateDate: planning.gateDate,
      });
      const blocked = planned.filter(blocksGate);
      if (blocked.length > 0) return { ok: false, blocked: blocked.map((checkpoint) => checkpoint.key) };
    }
    const items: OutboxItem[] = [];
    let phaseSince = now;
    let gateDate: Date | null = typedGate;
    let gate: Date | null = null;
    if (decision === "hold") {
      phaseSince = planning.phaseSince;
      gateDate = typedGate ?? new Date(now.getTime() + HOLD_DEFAULT_WEEKS * WEEK_MS);
      gate = gateDate;
      await planCheckpoints(deps, tx, planning, fromPhase, { phaseSince, gateDate, replan: true });
    } else if (isEnded(toPhase)) {
      gateDate = null;
      // A retro still open is closed now (its summary goes out), so the closing retro follows it.
      const open = await tx.retro.latestCycle(projectId);
      if (open?.status === "open") items.push(...(await closeCycle(deps, tx, before, open, now)));
    } else {
      gate = plannedGate({ phase: toPhase, phaseSince: now, gateDate, targets });
      await planCheckpoints(deps, tx, planning, toPhase, { phaseSince: now, gateDate, replan: true });
    }
    const decisionId = await tx.gates.recordDecision({
      projectId,
      fromPhase,
      toPhase,
      decision,
      reason,
      decidedById: person.id,
      formKey,
      phaseSince,
      gateDate,
    });
    await tx.audit.record({
      organisationId: person.organisationId,
      actorId: person.id,
      kind: `gate.${decision}`,
      subject: projectId,
      data: { decisionId, fromPhase, toPhase, gateDate: gateDate?.toISOString() ?? null },
    });
    const after = await tx.retro.project(projectId, now);
    if (!after) return { ok: true, queued: await tx.outbox.enqueue(items), gate };
    if (isEnded(toPhase)) {
      // The closing retro: an after-action review, because a stopped or finished project's lessons count too.
      items.push(
        ...(await openCycle(deps, tx, { ...after, formatRotation: [], retroFormat: CLOSING_RETRO_FORMAT }, now)),
      );
    }
    const channelText = (locale: Locale): Message => {
      const text = prompts.t(locale, `gates.channel.${decision}`, {
        project: after.name,
        phase: prompts.t(locale, `phases.${toPhase}`),
        gate: gate ? formatDay(gate, locale, after.timezone) : "-",
        reason,
      });
      return { fallback: text, blocks: [{ type: "paragraph", text: [text] }] };
    };
    const notBefore = deliverAt(deps.holidays, now, after.timezone, after.quiet);
    for (const address of after.channels) {
      items.push({
        key: `gate-decision:${decisionId}:${address.platform}`,
        organisationId: after.organisationId,
        address,
        message: forChannel(prompts, after, address, channelText),
        ...(notBefore ? { notBefore } : {}),
      });
    }
    // A new phase (Go or Recycle): lessons other projects learned in it.
    if (toPhase !== fromPhase && !isEnded(toPhase)) items.push(...(await lessonsForNewPhase(deps, tx, after, now)));
    return { ok: true, queued: await tx.outbox.enqueue(items), gate };
  });

  if (!result.ok) {
    const planning = await deps.stores.gates.planning(projectId);
    if ("sentBefore" in result) {
      return [reply(prompts, person.locale, "gates.review.sent-before", {}, { project: planning?.name ?? "" })];
    }
    if ("blocked" in result) {
      const ahead = decision === "finish" ? "finished" : PHASES[PHASES.indexOf(fromPhase) + 1];
      const titles = result.blocked.map((key) => checkpointQuestion(deps, ahead ?? "", key, person.locale) ?? key);
      const text = t("gates.review.blocked", { checkpoints: titles.join("; ") });
      return [{ fallback: text, blocks: [{ type: "paragraph", text: [text] }], fieldErrors: { decision: text } }];
    }
    if (!planning || result.stale === "stopped" || result.stale === "finished") {
      const ended = planning?.phase === "finished" ? "finished" : "stopped";
      return [reply(prompts, person.locale, `gates.review.${ended}`, {}, { project: planning?.name ?? "" })];
    }
    return [
      reply(prompts, person.locale, "gates.review.stale", {
        project: planning.name,
        phase: t(`phases.${planning.phase}`),
      }),
    ];
  }
  if (result.queued.length > 0) await deps.dispatcher.deliver(result.queued);
  const planning = await deps.stores.gates.planning(projectId);
  return [
    reply(prompts, person.locale, `gates.decided.${decision}`, {
      project: planning?.name ?? "",
      phase: t(`phases.${toPhase}`),
      gate: result.gate ? formatDay(result.gate, person.locale) : "-",
    }),
  ];
}
