import { isEnded } from "../domain/phase.ts";
import type { OutboxItem } from "../ports/outbox-store.ts";
import type { ProjectRecord } from "../ports/project-records.ts";
import type { CycleRecord } from "../ports/retro-store.ts";
import type { Stores } from "../ports/stores.ts";
import { closeCycle } from "./close-cycle.ts";
import type { Deps } from "./deps.ts";
import { showRetroClosed } from "./message-state.ts";
import { formatIdFor, openCycles } from "./open-cycle.ts";
import { remindCycle } from "./remind-cycle.ts";
import { nextRetroOf } from "./retro-schedule.ts";
import { type ClosedVoting, closeVoting } from "./sense-making/close-voting.ts";
import { refreshLiveCountdowns } from "./sense-making/live-countdown.ts";
import { showSense } from "./sense-making/sense-view.ts";

/**
 * The project's heartbeat, run by its job scheduler and after answers arrive. Everything it
 * decides follows from the database and the clock, under a per-project lock, so running it
 * twice, late, or after Redis lost its jobs neither skips nor repeats a step.
 */
export function advanceProject(
  deps: Deps,
  projectId: string,
  options: { openNow?: boolean; closeNow?: boolean } = {},
): Promise<void> {
  return advanceProjects(deps, [projectId], options);
}

/**
 * {@link advanceProject} for projects whose ticks came due together, in one unit of work:
 * cycles that open at the same moment are opened with one set of statements.
 */
export async function advanceProjects(
  deps: Deps,
  projectIds: readonly string[],
  options: { openNow?: boolean; closeNow?: boolean } = {},
): Promise<void> {
  const now = deps.clock.now();
  const locks = projectIds.map((projectId) => `project:${projectId}`);
  const closed: { project: ProjectRecord; cycle: CycleRecord }[] = [];
  const votings: ClosedVoting[] = [];
  const { queued, exports } = await deps.unitOfWork(locks, async (stores) => {
    closed.length = 0;
    votings.length = 0;
    const projects = await stores.retro.projects(projectIds, now);
    const latest = await stores.retro.latestCycles(projectIds);
    const items: OutboxItem[] = [];
    const exports: string[] = [];
    const opening: { project: ProjectRecord; latest: CycleRecord | null; plannedAt: Date }[] = [];
    for (const project of projects) {
      if (!project.active) continue;
      const cycle = latest.get(project.id) ?? null;
      const step = await advanceOpenCycle(deps, stores, project, cycle, now, options);
      items.push(...step.items);
      exports.push(...step.exports);
      if (step.closed && cycle) closed.push({ project, cycle });
      if (step.open) opening.push({ project, latest: cycle, plannedAt: step.open });
    }
    // Votings whose time is up close before a retro opens, so it reviews the actions they chose
    // (one closed just now, with the next retro already due, closes at once). The tick is the
    // project's keyed job schedule, rebuilt from the database by the reconciler.
    // A retro opened early (`retro now`) closes its project's voting too.
    const closing = new Set((await stores.sense.due(projectIds, now)).map((session) => session.cycleId));
    for (const { latest: previous } of opening) if (previous) closing.add(previous.id);
    for (const cycleId of closing) {
      const voting = await closeVoting(deps, stores, cycleId, now);
      if (!voting) continue;
      votings.push(voting);
      items.push(...voting.items);
      exports.push(...voting.exports);
    }
    items.push(...(await openCycles(deps, stores, opening, now)));
    return { queued: await stores.outbox.enqueue(items), exports };
  });
  if (queued.length > 0) await deps.dispatcher.deliver(queued);
  // After the commit, so the sends find the actions they are about.
  if (exports.length > 0) await deps.dispatcher.exportActions(exports.map((actionId) => ({ actionId })));
  for (const voting of votings) await showSense(deps, voting.state);
  await refreshLiveCountdowns(deps, projectIds);
  for (const { project, cycle } of closed) {
    await showRetroClosed(deps, {
      organisationId: project.organisationId,
      projectId: project.id,
      cycleId: cycle.id,
      locale: project.locale,
    });
  }
}

/**
 * Reminds or closes the open cycle when it is time, skips a cycle the lead asked to skip,
 * and says which slot of the series the cycle opening now stands for, if one should.
 */
async function advanceOpenCycle(
  deps: Deps,
  stores: Stores,
  project: ProjectRecord,
  latest: CycleRecord | null,
  now: Date,
  options: { openNow?: boolean; closeNow?: boolean },
): Promise<{ items: OutboxItem[]; exports: string[]; open: Date | null; closed?: boolean }> {
  const items: OutboxItem[] = [];
  const exports: string[] = [];
  let closed = false;
  let cycle = latest;
  if (cycle?.status === "open") {
    if (!cycle.remindedAt && now >= cycle.remindsAt && now < cycle.closesAt) {
      items.push(...(await remindCycle(deps, stores, project, cycle, now)));
    }
    const deliveries = await stores.retro.deliveries(cycle.id);
    const everyoneAnswered = deliveries.length > 0 && deliveries.every((delivery) => delivery.answeredAt);
    if (now >= cycle.closesAt || everyoneAnswered || options.closeNow) {
      items.push(...(await closeCycle(deps, stores, project, cycle, now)));
      // The actions the team agreed go to its tracker now, when the lead chose so (`tracker auto on`).
      exports.push(...(await stores.trackers.requestForCycle(project.id, cycle.id, now)));
      // Its forms are to say so; a run that raced this one finds them already rewritten.
      closed = true;
      cycle = { ...cycle, status: "closed" };
    }
  }
  // A stopped or finished project only finishes its closing retro: no new cycles open.
  if (cycle?.status === "open" || isEnded(project.phase)) return { items, exports, open: null, closed };
  // `retro now` brings the next retro forward: it takes that slot, the series stays.
  const due = nextRetroOf(deps, project, cycle, now);
  if (options.openNow) return { items, exports, open: due.slot, closed };
  if (due.opensAt > now) return { items, exports, open: null, closed };
  if (!project.skipNext) return { items, exports, open: due.slot, closed };
  // The lead asked to skip this one: record it, so the schedule moves on from here.
  await stores.retro.skipCycle({
    projectId: project.id,
    sequence: (cycle?.sequence ?? 0) + 1,
    format: formatIdFor(project, (cycle?.sequence ?? 0) + 1),
    plannedAt: due.slot,
    at: now,
    reason: "lead",
  });
  await stores.retro.setSkipNext(project.id, false);
  return { items, exports, open: null, closed };
}
