import { createHash } from "node:crypto";
import type { Platform } from "../domain/inbound-event.ts";

// BullMQ forbids ':' in queue names and custom job ids, so ids use '-'.
export type QueueNames = { ticks: string; deliver: (platform: Platform) => string };

export function queueNames(prefix: string): QueueNames {
  return { ticks: `${prefix}-ticks`, deliver: (platform) => `${prefix}-deliver-${platform}` };
}

export const JOB = {
  retro: "retro",
  checkpoints: "checkpoints",
  digest: "digest",
  retention: "retention",
  /** The daily read of every channel's member list, per organisation. */
  members: "members",
  /** One project's member lists, asked for at setup or with `members sync`. */
  projectMembers: "project-members",
  /** One subscription's pull of another installation's lesson feed. */
  lessonFeed: "lesson-feed",
  deliver: "deliver",
  /** One action to its project's tracker (Jira, Azure DevOps). */
  trackerExport: "tracker-export",
  /** Sent messages rewritten in place, on the same queue as their platform's deliveries. */
  updateSent: "update-sent",
} as const;

export const schedulerId = {
  retro: (projectId: string) => `retro-${projectId}`,
  checkpoints: (organisationId: string) => `checkpoints-${organisationId}`,
  digest: (organisationId: string) => `digest-${organisationId}`,
  retention: (organisationId: string) => `retention-${organisationId}`,
  members: (organisationId: string) => `members-${organisationId}`,
  lessonFeed: (subscriptionId: string) => `lesson-feed-${subscriptionId}`,
};

/** A pull asked for now (right after subscribing); repeats while it waits collapse. */
export const lessonFeedJobId = (subscriptionId: string) => `lesson-feed-now-${subscriptionId}`;

/** While one project's member sync waits in the queue, asking again adds nothing. */
export const projectMembersJobId = (projectId: string) => `project-members-${projectId}`;

/** While an action's send waits in the queue (or for its retry), asking again adds nothing. */
export const trackerJobId = (actionId: string) => `tracker-${actionId}`;

/** One message's job is named after it; a batch's after a digest of its messages. */
export const deliveryJobId = (outboxIds: readonly string[]) =>
  outboxIds.length === 1
    ? `out-${outboxIds[0]}`
    : `outs-${createHash("sha256").update(outboxIds.join(",")).digest("hex").slice(0, 32)}`;
