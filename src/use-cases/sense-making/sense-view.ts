import type { Locale } from "../../domain/locale.ts";
import type { Message } from "../../domain/message.ts";
import { topGroups, type VoteTally, votesAvailable } from "../../domain/sense-making.ts";
import type { Address, ProjectRecord } from "../../ports/project-records.ts";
import type { CycleRecord } from "../../ports/retro-store.ts";
import type { SenseGroupRecord, SenseSessionRecord } from "../../ports/sense-store.ts";
import type { Deps } from "../deps.ts";
import { rewriteMessages } from "../message-state.ts";
import { forChannel } from "../messages/channel-message.ts";
import { type SenseResult, senseKey, senseMessage } from "../messages/sense-message.ts";

export type SenseState = {
  project: ProjectRecord;
  cycle: CycleRecord;
  session: SenseSessionRecord;
  groups: readonly SenseGroupRecord[];
  result?: SenseResult;
};

/** The sense-making message for one of the project's channels, in the channel's language(s). */
export function senseMessageFor(deps: Deps, state: SenseState, address: Pick<Address, "platform">): Message {
  const { project, cycle, session, groups } = state;
  const build = (locale: Locale) =>
    senseMessage({
      prompts: deps.prompts,
      locale,
      projectName: project.name,
      sequence: cycle.sequence,
      timezone: project.timezone,
      groups,
      votes: votesAvailable(session.votesEach, groups.length),
      votingClosesAt: session.votingClosesAt,
      ...(state.result ? { result: state.result } : {}),
      ...(session.live ? { live: { cycleId: cycle.id, now: deps.clock.now(), step: session.liveStep ?? 0 } } : {}),
    });
  return forChannel(deps.prompts, project, address, build);
}

/**
 * Rewrites the sense-making message in every channel it went to, as the groups (and, once
 * closed, the result) now stand. Returns the copy in `conversationRef`, the one acted on.
 */
export async function showSense(deps: Deps, state: SenseState, conversationRef?: string): Promise<Message | null> {
  let acted: Message | null = null;
  for (const address of state.project.channels) {
    const message = await rewriteMessages(
      deps,
      state.project.organisationId,
      [senseKey(state.cycle.id, address.platform)],
      conversationRef,
      () => senseMessageFor(deps, state, address),
    );
    acted ??= message;
  }
  return acted;
}

/** The sense-making of a cycle as stored now, or null when the cycle has none. */
export async function loadSense(stores: Deps["stores"], cycleId: string, now: Date): Promise<SenseState | null> {
  const session = await stores.sense.session(cycleId);
  const cycle = session ? await stores.retro.cycle(cycleId) : null;
  const project = session && cycle ? await stores.retro.project(session.projectId, now) : null;
  if (!session || !cycle || !project) return null;
  return { project, cycle, session, groups: await stores.sense.groups(cycleId) };
}

/** Who voted and which groups came out on top; totals count only from the minimum group size. */
export async function tallyVotes(
  stores: Deps["stores"],
  state: Pick<SenseState, "project" | "cycle" | "groups">,
): Promise<{ voters: number; shown: boolean; top: VoteTally[] }> {
  const voters = (await stores.sense.spent(state.cycle.id)).size;
  const shown = voters >= Math.max(1, state.project.minGroupSize);
  const tallies = state.groups.map((group) => ({ groupId: group.id, position: group.position, votes: group.votes }));
  return { voters, shown, top: shown ? topGroups(tallies) : [] };
}
