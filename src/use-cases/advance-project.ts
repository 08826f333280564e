import { plannedOpening } from "../domain/cadence.ts";
import type { OutboxItem } from "../ports/store.ts";
import { closeCycle } from "./close-cycle.ts";
import { isHolidayIn } from "./delivery-time.ts";
import type { Deps } from "./deps.ts";
import { formatIdFor, openCycle } from "./open-cycle.ts";
import { remindCycle } from "./remind-cycle.ts";

/**
 * The project's heartbeat, run by its job scheduler and after answers arrive. Everything it
 * decides follows from the database and the clock, under a per-project lock, so running it
 * twice, late, or after Redis lost its jobs neither skips nor repeats a step.
 */
export async function advanceProject(
  deps: Deps,
  projectId: string,
  options: { openNow?: boolean } = {},
): Promise<void> {
  const now = deps.clock.now();
  const queued = await deps.unitOfWork(`project:${projectId}`, async (stores) => {
    const project = await stores.retro.project(projectId, now);
    if (!project?.active) return [];
    const items: OutboxItem[] = [];
    let cycle = await stores.retro.latestCycle(projectId);
    if (cycle?.status === "open") {
      if (!cycle.remindedAt && now >= cycle.remindsAt && now < cycle.closesAt) {
        items.push(...(await remindCycle(deps, stores, project, cycle, now)));
      }
      const deliveries = await stores.retro.deliveries(cycle.id);
      const everyoneAnswered = deliveries.length > 0 && deliveries.every((delivery) => delivery.answeredAt);
      if (now >= cycle.closesAt || everyoneAnswered) {
        items.push(...(await closeCycle(deps, stores, project, cycle, now)));
        cycle = { ...cycle, status: "closed" };
      }
    }
    // A stopped project only finishes its closing retro: no new cycles open.
    if (cycle?.status !== "open" && project.phase !== "stopped") {
      const due = plannedOpening(
        project.cadence,
        cycle?.opensAt ?? project.createdAt,
        cycle?.opensAt,
        project.holidayPolicy,
        isHolidayIn(deps.holidays),
      );
      if (options.openNow) {
        items.push(...(await openCycle(deps, stores, project, now)));
      } else if (due <= now && project.skipNext) {
        // The lead asked to skip this one: record it, so the schedule moves on from here.
        await stores.retro.skipCycle({
          projectId: project.id,
          sequence: (cycle?.sequence ?? 0) + 1,
          format: formatIdFor(project, (cycle?.sequence ?? 0) + 1),
          at: now,
          reason: "lead",
        });
        await stores.retro.setSkipNext(project.id, false);
      } else if (due <= now) {
        items.push(...(await openCycle(deps, stores, project, now)));
      }
    }
    return stores.outbox.enqueue(items);
  });
  if (queued.length > 0) await deps.dispatcher.deliver(queued);
}
