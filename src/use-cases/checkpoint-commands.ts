import { effectiveStrength } from "../domain/checkpoint-definition.ts";
import { isActivePhase } from "../domain/gate.ts";
import type { Message, Text } from "../domain/message.ts";
import { PROJECT_FLAGS, type ProjectFlag, readFlags, suggestFlags } from "../domain/project-flags.ts";
import type { Address, PersonRecord } from "../ports/project-records.ts";
import type { Deps } from "./deps.ts";
import { ledProject } from "./led-project.ts";
import { formatDay } from "./messages/format-day.ts";
import { reply } from "./messages/reply.ts";
import { AUTO_REASON_PREFIX, definitionOf, planCheckpoints } from "./plan-checkpoints.ts";

const EVIDENCE_MAX = 1000;

/** The project a member asks about: the channel's project, or their only project. */
async function memberProject(deps: Deps, person: PersonRecord, where: Address): Promise<string | null> {
  const projects = await deps.stores.directory.projectsOf(person.id);
  const inChannel = await deps.stores.directory.projectByChannel(where);
  const mine = [...new Set(projects.map((project) => project.projectId))];
  if (inChannel && (mine.includes(inChannel) || person.roles.includes("admin"))) return inChannel;
  return mine.length === 1 ? (mine[0] ?? null) : null;
}

/** "not applicable: no personal data" for a reason the project's flags set, else the person's own reason. */
export function reasonText(deps: Deps, locale: PersonRecord["locale"], reason: string | null): string {
  if (!reason?.startsWith(AUTO_REASON_PREFIX)) return reason ?? "";
  const flags = reason.slice(AUTO_REASON_PREFIX.length).split(",").filter(Boolean);
  return flags.map((flag) => deps.prompts.t(locale, `gates.flags.none.${flag}`)).join(", ");
}

/**
 * `checkpoints` / `toetspunten`: every member sees their project's checkpoints of this phase
 * and the before-start ones that guard the next gate, with status, strength and evidence.
 */
export async function listCheckpoints(deps: Deps, person: PersonRecord, where: Address): Promise<Message[]> {
  const t = (key: string, vars?: Record<string, string | number>) => deps.prompts.t(person.locale, key, vars);
  const projectId = await memberProject(deps, person, where);
  const planning = projectId ? await deps.stores.gates.planning(projectId) : null;
  if (!planning || planning.organisationId !== person.organisationId) {
    return [reply(deps.prompts, person.locale, "gates.list.which-project")];
  }
  if (!isActivePhase(planning.phase)) {
    return [reply(deps.prompts, person.locale, `gates.review.${planning.phase}`, {}, { project: planning.name })];
  }
  const phase = planning.phase;
  const planned = await deps.unitOfWork(`project:${planning.projectId}`, (tx) =>
    planCheckpoints(deps, tx, planning, phase, { phaseSince: planning.phaseSince, gateDate: planning.gateDate }),
  );
  const flags = readFlags(planning.flags);
  const now = deps.clock.now();
  const line = (checkpoint: (typeof planned)[number]): Text => {
    const local = definitionOf(deps, checkpoint.phase, checkpoint.key, person.locale) ?? checkpoint.definition;
    const status =
      checkpoint.status === "not-applicable"
        ? `${t("gates.checkpoint.status.not-applicable")}: ${reasonText(deps, person.locale, checkpoint.reason)}`
        : checkpoint.status === "open" && checkpoint.evidence
          ? t("gates.list.awaiting")
          : t(`gates.checkpoint.status.${checkpoint.status}`);
    const strength = t(`gates.strength.${effectiveStrength(checkpoint.definition, flags, now)}`);
    const parts = [
      `[${checkpoint.key}] ${local.question}`,
      `${status}; ${strength}; ${t(`gates.when.${checkpoint.definition.when}`)}; ${t("gates.list.due", { date: formatDay(checkpoint.dueAt, person.locale) })}`,
      checkpoint.evidence
        ? t("gates.list.given", { evidence: checkpoint.evidence })
        : t("gates.list.evidence", { evidence: local.evidence }),
      t("gates.list.source", { source: local.source }),
    ];
    return [parts.join(" — ")];
  };
  const current = planned.filter((checkpoint) => !checkpoint.ahead);
  const ahead = planned.filter((checkpoint) => checkpoint.ahead);
  const phaseName = (p: string) => t(`phases.${p}`);
  const title = t("gates.list.title", { project: planning.name, phase: phaseName(phase) });
  return [
    {
      fallback: title,
      blocks: [
        { type: "heading", text: [title] },
        { type: "list", items: current.map(line) },
        ...(ahead.length > 0
          ? [
              { type: "paragraph" as const, text: [t("gates.list.ahead")] },
              { type: "list" as const, items: ahead.map(line) },
            ]
          : []),
        { type: "context", text: [t("gates.list.hint")] },
      ],
    },
  ];
}

/** `flags`: the project's yes/no facts; `flags personal-data yes` changes one (the lead). */
export async function changeFlags(
  deps: Deps,
  person: PersonRecord,
  where: Address,
  flag: ProjectFlag | "invalid" | null,
  value: boolean | null,
): Promise<Message[]> {
  const t = (key: string, vars?: Record<string, string | number>) => deps.prompts.t(person.locale, key, vars);
  const target = await ledProject(deps, person, where);
  if ("problem" in target) return [reply(deps.prompts, person.locale, target.problem)];
  if (flag === "invalid" || (flag !== null && value === null)) {
    return [reply(deps.prompts, person.locale, "gates.flags.unclear")];
  }
  const { projectId } = target;
  const result = await deps.unitOfWork(`project:${projectId}`, async (tx) => {
    const planning = await tx.gates.planning(projectId);
    if (!planning) return null;
    const flags = readFlags(planning.flags);
    if (flag !== null && value !== null) {
      flags[flag] = value;
      await tx.gates.setFlags(projectId, flags);
      await tx.audit.record({
        organisationId: person.organisationId,
        actorId: person.id,
        kind: "project.flag-changed",
        subject: projectId,
        data: { flag, value },
      });
      if (isActivePhase(planning.phase)) {
        await planCheckpoints(deps, tx, { ...planning, flags }, planning.phase, {
          phaseSince: planning.phaseSince,
          gateDate: planning.gateDate,
        });
      }
    }
    return { planning, flags };
  });
  if (!result) return [reply(deps.prompts, person.locale, "errors.not-found")];
  const { planning, flags } = result;
  const answer = (f: ProjectFlag) =>
    flags[f] === undefined ? t("gates.flags.unanswered") : t(flags[f] ? "gates.flags.yes" : "gates.flags.no");
  const suggested = suggestFlags(planning.mission, planning.domain, flags);
  const title = t("gates.flags.title", { project: planning.name });
  return [
    {
      fallback: title,
      blocks: [
        { type: "heading", text: [title] },
        {
          type: "list",
          items: PROJECT_FLAGS.map((f): Text => [`${f}: ${t(`gates.flags.question.${f}`)} ${answer(f)}`]),
        },
        ...(suggested.length > 0
          ? [{ type: "context" as const, text: [t("gates.flags.suggested", { flags: suggested.join(", ") })] }]
          : []),
        { type: "context", text: [t("gates.flags.hint")] },
      ],
    },
  ];
}

/** `evidence <key> <text>`: the lead attaches evidence to an open checkpoint for a manager to accept. */
export async function attachEvidence(
  deps: Deps,
  person: PersonRecord,
  where: Address,
  key: string,
  text: string,
): Promise<Message[]> {
  const target = await ledProject(deps, person, where);
  if ("problem" in target) return [reply(deps.prompts, person.locale, target.problem)];
  const { projectId } = target;
  const planning = await deps.stores.gates.planning(projectId);
  if (!planning || !isActivePhase(planning.phase)) return [reply(deps.prompts, person.locale, "errors.not-found")];
  const phase = planning.phase;
  const evidence = text.trim().slice(0, EVIDENCE_MAX);
  const attached = await deps.unitOfWork(`project:${projectId}`, async (tx) => {
    const planned = await planCheckpoints(deps, tx, planning, phase, {
      phaseSince: planning.phaseSince,
      gateDate: planning.gateDate,
    });
    const checkpoint = planned.find((candidate) => candidate.key === key && candidate.status === "open");
    if (!checkpoint || !(await tx.gates.attachEvidence(checkpoint.id, evidence))) return null;
    await tx.audit.record({
      organisationId: person.organisationId,
      actorId: person.id,
      kind: "checkpoint.evidence",
      subject: checkpoint.id,
      data: { projectId, phase: checkpoint.phase, key },
    });
    return checkpoint;
  });
  if (!attached) return [reply(deps.prompts, person.locale, "gates.evidence.unknown", { key: key.slice(0, 60) })];
  const title = definitionOf(deps, attached.phase, key, person.locale)?.question ?? key;
  return [reply(deps.prompts, person.locale, "gates.evidence.attached", { checkpoint: title })];
}
