// What adapters hand to the core, whatever the platform.

export const PLATFORMS = ["web", "slack", "teams"] as const;
export type Platform = (typeof PLATFORMS)[number];

type EventBase = {
  platform: Platform;
  /** Workspace id (Slack), Azure tenant id (Teams), organisation id (web). */
  tenantId: string;
  /** The person's id on the platform. */
  platformUserId: string;
  /** Opaque: stored and handed back to the adapter, never parsed by the core. */
  conversationRef: string;
  /** What the platform knows of the person, used when Leerlus meets them for the first time. */
  profile?: { displayName?: string; locale?: string; timezone?: string; email?: string };
};

export type InboundEvent =
  /**
   * `direct`: typed in the person's direct conversation with Leerlus, as the platform verified it.
   * `eventKey`: the platform's id of the message, the same on every delivery of it, so handling
   * it again (after a failure) does not take the same text as a second answer.
   */
  | (EventBase & { type: "command"; text: string; direct?: boolean; eventKey?: string })
  | (EventBase & { type: "message"; text: string; direct?: boolean; eventKey?: string })
  | (EventBase & { type: "action"; actionId: string; value: string })
  | (EventBase & { type: "formSubmitted"; actionId: string; value: string; answers: Record<string, string> })
  /** The app was installed or added; `directRef` is the installer's direct conversation, when known. */
  | (EventBase & { type: "installed"; tenantName?: string; directRef?: string })
  /** A person joined a channel Leerlus is in, or opened a direct conversation with it. */
  | (EventBase & { type: "memberJoined"; directRef?: string });
