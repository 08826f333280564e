// Slack conversation and message references; opaque to the core.
//   conversation: `slack:<team>:<channel>`, or `slack:<team>:<channel>:<user>` for a direct
//                 conversation (the user tells us whose language to use for our own copy)
//   sent message: `slack-msg:<team>:<channel>:<ts>`
// A direct conversation may be the user id itself: posting to it opens the app's DM.

export type ConversationRef = { teamId: string; channel: string; userId?: string };
export type SentMessageRef = { teamId: string; channel: string; ts: string };

const ID = "[A-Z0-9]{1,40}";
const CONVERSATION = new RegExp(`^slack:(${ID}):(${ID})(?::(${ID}))?$`);
const SENT = new RegExp(`^slack-msg:(${ID}):(${ID}):(\\d{1,12}\\.\\d{1,8})$`);

export function conversationRef(teamId: string, channel: string, userId?: string): string {
  return userId ? `slack:${teamId}:${channel}:${userId}` : `slack:${teamId}:${channel}`;
}

export function directRefFor(teamId: string, userId: string): string {
  return conversationRef(teamId, userId, userId);
}

export function parseConversationRef(ref: string): ConversationRef | null {
  const match = CONVERSATION.exec(ref);
  if (!match) return null;
  const [, teamId = "", channel = "", userId] = match;
  return userId ? { teamId, channel, userId } : { teamId, channel };
}

export function sentRef(teamId: string, channel: string, ts: string): string {
  return `slack-msg:${teamId}:${channel}:${ts}`;
}

export function parseSentRef(ref: string): SentMessageRef | null {
  const match = SENT.exec(ref);
  if (!match) return null;
  const [, teamId = "", channel = "", ts = ""] = match;
  return { teamId, channel, ts };
}

/** Whether a conversation is of this workspace and, if it is a direct one, of this person. */
export function isConversationOf(ref: string, teamId: string, userId: string): boolean {
  const parsed = parseConversationRef(ref);
  return parsed !== null && parsed.teamId === teamId && (parsed.userId === undefined || parsed.userId === userId);
}

/** Direct-message channels start with D; in those, replies need not be ephemeral. */
export function isDirectChannel(channel: string): boolean {
  return channel.startsWith("D");
}
