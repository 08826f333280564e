import { createHmac } from "node:crypto";
import type { Block, Message } from "../../domain/message.ts";
import { everyoneVoted, votesAvailable } from "../../domain/sense-making.ts";
import type { Address, PersonRecord } from "../../ports/project-records.ts";
import type { Deps } from "../deps.ts";
import { reply } from "../messages/reply.ts";
import { SENSE_UNVOTE, SENSE_VOTE, senseKeyPrefix } from "../messages/sense-message.ts";
import { closeVoting, showVotingClosed } from "./close-voting.ts";

export const isSenseVote = (actionId: string): boolean => actionId === SENSE_VOTE || actionId === SENSE_UNVOTE;

/** Who voted, as a keyed hash of the cycle and the person: votes are counted, never traced back. */
export function voterKeyOf(secret: string, cycleId: string, personId: string): string {
  return createHmac("sha256", secret).update(`sense-vote:${cycleId}:${personId}`).digest("base64url");
}

type Outcome =
  | { kind: "voted" | "unvoted" | "already" | "none-left" | "not-voted"; left: number; available: number }
  | { kind: "gone" };

/**
 * A member spends one of their votes on a group, or takes it back. One vote per person per
 * group: a repeated or replayed click counts once and says so. Nobody sees who voted for
 * what; the person alone hears how many votes they have left. When every invited person has
 * used all their votes, the voting closes at once.
 */
export async function castVote(
  deps: Deps,
  person: PersonRecord,
  actionId: string,
  groupId: string,
  where: Address,
): Promise<Message[]> {
  const say = (key: string, vars?: Record<string, number>) => reply(deps.prompts, person.locale, key, vars);
  const now = deps.clock.now();
  const cycleId = await deps.stores.sense.cycleOfGroup(groupId);
  const session = cycleId ? await deps.stores.sense.session(cycleId) : null;
  const project = session ? await deps.stores.retro.project(session.projectId, now) : null;
  if (!cycleId || !session || !project || project.organisationId !== person.organisationId) {
    return [say(cycleId ? "errors.not-found" : "sense.vote-gone")];
  }
  if (!project.participants.some((participant) => participant.id === person.id)) return [say("sense.not-member")];
  if (session.closedAt) return [say("sense.closed")];
  const voterKey = voterKeyOf(deps.secret, cycleId, person.id);
  let closing: Awaited<ReturnType<typeof closeVoting>> = null;
  const outcome = await deps.unitOfWork(`project:${project.id}`, async (tx): Promise<Outcome> => {
    closing = null;
    const current = await tx.sense.session(cycleId);
    const groups = await tx.sense.groups(cycleId);
    if (!current || current.closedAt || !groups.some((group) => group.id === groupId)) return { kind: "gone" };
    const available = votesAvailable(current.votesEach, groups.length);
    const mine = await tx.sense.votedGroups(cycleId, voterKey);
    if (actionId === SENSE_UNVOTE) {
      const taken = await tx.sense.unvote(groupId, voterKey);
      return { kind: taken ? "unvoted" : "not-voted", left: available - mine.length + (taken ? 1 : 0), available };
    }
    if (mine.includes(groupId)) return { kind: "already", left: available - mine.length, available };
    if (mine.length >= available) return { kind: "none-left", left: 0, available };
    if (!(await tx.sense.vote({ cycleId, groupId, voterKey, at: now }))) {
      return { kind: "already", left: available - mine.length, available };
    }
    const left = available - mine.length - 1;
    if (left === 0) {
      const invited = (await tx.retro.deliveries(cycleId)).map((delivery) =>
        voterKeyOf(deps.secret, cycleId, delivery.personId),
      );
      if (everyoneVoted(invited, await tx.sense.spent(cycleId), available)) {
        closing = await closeVoting(deps, tx, cycleId, now);
      }
    }
    return { kind: "voted", left, available };
  });
  if (outcome.kind === "gone") return [say("sense.vote-gone")];
  const closed = closing as Awaited<ReturnType<typeof closeVoting>>;
  let source: Message | null = null;
  if (closed) source = await showVotingClosed(deps, closed, where.conversationRef);
  const note = voteNote(deps, person, outcome, groupId, closed !== null);
  // Teams answers the click with the card itself, shown to the voter alone: the note goes in it.
  // Elsewhere the note is a reply only the voter sees (Slack ephemeral, the web chat's own view).
  if (where.platform === "teams") {
    source ??= await sourceMessage(deps, project.organisationId, cycleId, where.conversationRef);
    if (source) return [{ ...source, blocks: [...source.blocks, ...note.blocks], updatesSource: true }];
  }
  return [note];
}

function voteNote(
  deps: Deps,
  person: PersonRecord,
  outcome: Exclude<Outcome, { kind: "gone" }>,
  groupId: string,
  closed: boolean,
): Message {
  const t = (key: string, vars?: Record<string, number>) => deps.prompts.t(person.locale, key, vars);
  // Running out of votes is told by how many there were; everything else by how many are left.
  const count = outcome.kind === "none-left" ? outcome.available : outcome.left;
  const text = [t(`sense.${outcome.kind}`, { count })];
  if (closed) text.push(" ", t("sense.everyone-voted"));
  const blocks: Block[] = [{ type: "context", text }];
  // A second click on a group voted for: the vote stands, and can be taken back from here.
  if (outcome.kind === "already") {
    blocks.push({ type: "actions", buttons: [{ actionId: SENSE_UNVOTE, label: t("sense.unvote"), value: groupId }] });
  }
  return { fallback: text.join(""), blocks };
}

/** The sense-making message as stored for the conversation the person clicked in. */
async function sourceMessage(
  deps: Deps,
  organisationId: string,
  cycleId: string,
  conversationRef: string,
): Promise<Message | null> {
  const rows = await deps.stores.outbox.withKeyPrefixes(organisationId, [senseKeyPrefix(cycleId)]);
  return rows.find((row) => row.address.conversationRef === conversationRef)?.message ?? null;
}
