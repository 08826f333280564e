// What adapters hand to the core, whatever the platform.

export type Platform = "web" | "slack" | "teams";

type EventBase = {
  platform: Platform;
  /** Workspace id (Slack), Azure tenant id (Teams), organisation id (web). */
  tenantId: string;
  /** The person's id on the platform. */
  platformUserId: string;
  /** Opaque: stored and handed back to the adapter, never parsed by the core. */
  conversationRef: string;
};

export type InboundEvent =
  | (EventBase & { type: "command"; text: string })
  | (EventBase & { type: "message"; text: string })
  | (EventBase & { type: "action"; actionId: string; value: string })
  | (EventBase & { type: "formSubmitted"; actionId: string; value: string; answers: Record<string, string> })
  | (EventBase & { type: "installed" })
  | (EventBase & { type: "memberJoined" });
