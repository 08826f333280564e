import { createHash } from "node:crypto";
import { NUDGE_INTERVAL_DAYS, needsNudge } from "../domain/checkpoint-due.ts";
import {
  daysBetween,
  gateTiming,
  isActivePhase,
  phaseTargets,
  plannedGate,
  STUCK_AFTER_NUDGES,
} from "../domain/gate.ts";
import { gateNoticeKey } from "../ports/gate-store.ts";
import type { OutboxItem } from "../ports/outbox-store.ts";
import type { PersonRecord } from "../ports/project-records.ts";
import { deliverAt } from "./delivery-time.ts";
import type { Deps } from "./deps.ts";
import { nudgeMessage } from "./messages/nudge-message.ts";
import { definitionOf, planCheckpoints } from "./plan-checkpoints.ts";

const MAX_CHECKPOINTS_PER_NUDGE = 3;
const WEEK_MS = NUDGE_INTERVAL_DAYS * 24 * 60 * 60 * 1000;

/**
 * Creates each project's checkpoints for its current phase and the before-start ones of
 * the phase ahead, and nudges its managers by direct message (a project without one: its
 * leads and the organisation's admins): checkpoints due or overdue (before-start ones that
 * block the next gate first, then must-meet, then most overdue), a gate coming up, a
 * project overstaying its phase. A nudge that makes the project stuck also goes to its sponsors. At most one
 * nudge per project a week, so at most one per checkpoint; held until the recipient's
 * working hours. Each nudge a checkpoint gets without an answer counts towards "stuck".
 */
export async function evaluateCheckpoints(deps: Deps, organisationId: string): Promise<void> {
  const now = deps.clock.now();
  for (const projectId of await deps.stores.directory.activeProjectIds(organisationId)) {
    const queued = await deps.unitOfWork(`project:${projectId}`, async (stores) => {
      const project = await stores.retro.project(projectId, now);
      const planning = await stores.gates.planning(projectId);
      if (!project || !planning || !isActivePhase(project.phase)) return [];
      const phase = project.phase;
      const targets = phaseTargets(planning.phaseTargets);
      const gate = plannedGate({ phase, phaseSince: project.phaseSince, gateDate: planning.gateDate, targets });
      const planned = await planCheckpoints(deps, stores, planning, phase, {
        phaseSince: project.phaseSince,
        gateDate: planning.gateDate,
      });
      const blocking = new Set(
        planned.filter((checkpoint) => checkpoint.definition.when === "before-start").map((c) => c.id),
      );
      const open = planned.filter((checkpoint) => checkpoint.status === "open");
      // One nudge per project a week: the rest of the due list waits for next week.
      const recent = (at: Date | null) => at !== null && now.getTime() - at.getTime() < WEEK_MS;
      if (open.some((checkpoint) => recent(checkpoint.lastNudgedAt))) return [];
      if (recent(await stores.gates.lastGateNotice(project.id))) return [];
      const due = open
        .filter((checkpoint) => needsNudge(checkpoint, now))
        .sort(
          (a, b) =>
            Number(blocking.has(b.id)) - Number(blocking.has(a.id)) ||
            Number(b.mustMeet) - Number(a.mustMeet) ||
            a.dueAt.getTime() - b.dueAt.getTime(),
        )
        .slice(0, MAX_CHECKPOINTS_PER_NUDGE);
      const timing = gateTiming(now, gate);
      if (due.length === 0 && timing === "on-track") return [];
      if (due.length > 0) {
        await stores.checkpoints.recordNudges(
          due.map((checkpoint) => checkpoint.id),
          now,
        );
      }
      const stuck = due.some((checkpoint) => checkpoint.nudgesSent + 1 === STUCK_AFTER_NUDGES);
      const round = createHash("sha256")
        .update(due.map((checkpoint) => `${checkpoint.id}/${checkpoint.nudgesSent}`).join(","))
        .digest("hex")
        .slice(0, 16);
      const items: OutboxItem[] = [];
      const leads = project.participants.filter((person) => person.projectRole === "lead");
      const recipients: PersonRecord[] =
        project.managers.length > 0
          ? [...project.managers]
          : [...leads, ...(await stores.directory.admins(project.organisationId))];
      if (stuck) recipients.push(...project.sponsors);
      const seen = new Set<string>();
      for (const manager of recipients) {
        const address = manager.directs[0];
        if (!address || seen.has(manager.id)) continue;
        seen.add(manager.id);
        const timezone = manager.timezone ?? project.timezone;
        const local = (checkpoint: { phase: string; key: string }) =>
          definitionOf(deps, checkpoint.phase, checkpoint.key, manager.locale);
        items.push({
          key:
            due.length > 0 ? `nudge:${project.id}:${manager.id}:${round}` : gateNoticeKey(project.id, now, manager.id),
          organisationId: project.organisationId,
          address,
          message: nudgeMessage({
            prompts: deps.prompts,
            locale: manager.locale,
            timezone,
            now,
            projectId: project.id,
            projectName: project.name,
            phase,
            gate,
            timing,
            daysInPhase: daysBetween(project.phaseSince, now),
            targetDays: targets[phase],
            checkpoints: due.map((checkpoint) => ({
              id: checkpoint.id,
              question: local(checkpoint)?.question ?? checkpoint.key,
              evidence: local(checkpoint)?.evidence ?? "",
              source: local(checkpoint)?.source ?? "",
              blocking: blocking.has(checkpoint.id),
              mustMeet: checkpoint.mustMeet,
              dueAt: checkpoint.dueAt,
            })),
            stuck,
          }),
          notBefore: deliverAt(deps.holidays, now, timezone, project.quiet),
        });
      }
      return stores.outbox.enqueue(items);
    });
    if (queued.length > 0) await deps.dispatcher.deliver(queued);
  }
}
