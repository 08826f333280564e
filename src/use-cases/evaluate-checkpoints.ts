import { createHash } from "node:crypto";
import { needsNudge } from "../domain/checkpoint-due.ts";
import type { ActivePhase } from "../domain/phase.ts";
import { checkpointDueDate, gateDate, PHASES } from "../domain/phase.ts";
import type { OutboxItem } from "../ports/store.ts";
import { deliverAt } from "./delivery-time.ts";
import type { Deps } from "./deps.ts";
import { nudgeMessage } from "./messages/nudge-message.ts";

const MAX_CHECKPOINTS_PER_NUDGE = 3;

/**
 * Creates each project's checkpoints for its current phase and nudges its managers about
 * those due: at most one nudge per project a week, must-meet and most overdue first.
 */
export async function evaluateCheckpoints(deps: Deps, organisationId: string): Promise<void> {
  const now = deps.clock.now();
  for (const projectId of await deps.stores.directory.activeProjectIds(organisationId)) {
    const queued = await deps.unitOfWork(`project:${projectId}`, async (stores) => {
      const project = await stores.retro.project(projectId, now);
      if (!project || !PHASES.includes(project.phase as ActivePhase)) return [];
      const phase = project.phase as ActivePhase;
      const definitions = deps.prompts.checkpoints(phase, project.locale);
      const dueAt = checkpointDueDate(phase, project.phaseSince);
      await stores.checkpoints.ensure(
        project.id,
        definitions.map((definition) => ({ phase, key: definition.key, mustMeet: definition.mustMeet, dueAt })),
      );
      const open = await stores.checkpoints.open(project.id, phase);
      // One nudge per project a week: the rest of the due list waits for next week.
      const nudgedThisWeek = open.some(
        (checkpoint) => checkpoint.lastNudgedAt && !needsNudge({ ...checkpoint, snoozedUntil: null }, now),
      );
      if (nudgedThisWeek) return [];
      const due = open
        .filter((checkpoint) => needsNudge(checkpoint, now))
        .sort((a, b) => Number(b.mustMeet) - Number(a.mustMeet) || a.dueAt.getTime() - b.dueAt.getTime())
        .slice(0, MAX_CHECKPOINTS_PER_NUDGE);
      if (due.length === 0) return [];
      await stores.checkpoints.recordNudges(
        due.map((checkpoint) => checkpoint.id),
        now,
      );
      const round = createHash("sha256")
        .update(due.map((checkpoint) => `${checkpoint.id}/${checkpoint.nudgesSent}`).join(","))
        .digest("hex")
        .slice(0, 16);
      const items: OutboxItem[] = [];
      for (const manager of project.managers) {
        const address = manager.directs[0];
        if (!address) continue;
        const local = new Map(deps.prompts.checkpoints(phase, manager.locale).map((d) => [d.key, d]));
        items.push({
          key: `nudge:${project.id}:${manager.id}:${round}`,
          organisationId: project.organisationId,
          address,
          message: nudgeMessage({
            prompts: deps.prompts,
            locale: manager.locale,
            projectName: project.name,
            phase,
            gate: gateDate(phase, project.phaseSince),
            checkpoints: due.map((checkpoint) => ({
              id: checkpoint.id,
              question: local.get(checkpoint.key)?.question ?? checkpoint.key,
              evidence: local.get(checkpoint.key)?.evidence ?? "",
              mustMeet: checkpoint.mustMeet,
              dueAt: checkpoint.dueAt,
            })),
          }),
          notBefore: deliverAt(deps.holidays, now, manager.timezone ?? project.timezone, project.quiet),
        });
      }
      return stores.outbox.enqueue(items);
    });
    if (queued.length > 0) await deps.dispatcher.deliver(queued);
  }
}
