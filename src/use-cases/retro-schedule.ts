import { type CadenceSeries, nextPlannedRetro, type PlannedRetro, upcomingRetros } from "../domain/cadence-series.ts";
import type { ProjectRecord } from "../ports/project-records.ts";
import type { CycleRecord } from "../ports/retro-store.ts";
import { isDayOffIn } from "./delivery-time.ts";
import type { Deps } from "./deps.ts";

function seriesOf(project: ProjectRecord): CadenceSeries {
  return { cadence: project.cadence, since: project.cadenceSince ?? project.createdAt };
}

/**
 * The project's next retro after its latest cycle: the series' next slot, with the holiday
 * policy applied to that slot alone, on public holidays and the organisation's days off.
 */
export function nextRetroOf(deps: Deps, project: ProjectRecord, latest: CycleRecord | null, now: Date): PlannedRetro {
  const isDayOff = isDayOffIn(deps.holidays, project.quiet);
  return nextPlannedRetro(seriesOf(project), latest?.plannedAt, project.holidayPolicy, isDayOff, now);
}

/** The project's next `count` retros after its latest cycle. */
export function upcomingRetrosOf(
  deps: Deps,
  project: ProjectRecord,
  latest: CycleRecord | null,
  count: number,
  now: Date,
): PlannedRetro[] {
  const isDayOff = isDayOffIn(deps.holidays, project.quiet);
  return upcomingRetros(seriesOf(project), latest?.plannedAt, project.holidayPolicy, isDayOff, count, now);
}
