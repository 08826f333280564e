// Teams conversation references as the opaque strings the core stores. Only the fields a
// proactive send needs are kept, in a fixed order, so the same conversation always gives the
// same string (ProjectChannel.conversationRef is unique) and personal data stays out.
import type { ConversationReference } from "botbuilder";
import { z } from "zod";

const storedRefSchema = z.object({
  v: z.literal(1),
  channelId: z.string().min(1),
  serviceUrl: z.url(),
  conversation: z.object({
    id: z.string().min(1),
    tenantId: z.string().optional(),
    conversationType: z.string().optional(),
    isGroup: z.boolean().optional(),
  }),
  bot: z.object({ id: z.string().min(1) }),
  locale: z.string().optional(),
});

type StoredRef = z.infer<typeof storedRefSchema>;

const sentRefSchema = z.object({ ref: z.string(), ids: z.array(z.string().min(1)).min(1) });

/**
 * The channel a conversation id belongs to. In a Teams channel every post is a thread, and an
 * activity's conversation id names it (`19:…@thread.tacv2;messageid=…`); a project belongs to
 * the channel, and a message sent to the bare channel id starts a new post.
 */
export function channelOf(conversationId: string): string {
  return conversationId.replace(/;messageid=[^;]*/i, "");
}

export function serializeReference(reference: Partial<ConversationReference>, tenantId?: string): string {
  const conversation = reference.conversation;
  const stored: StoredRef = {
    v: 1,
    channelId: reference.channelId ?? "msteams",
    serviceUrl: reference.serviceUrl ?? "",
    conversation: {
      // Replies within a turn stay in their thread (botbuilder answers the activity itself);
      // what is stored, and keys the project, is the channel.
      id: channelOf(conversation?.id ?? ""),
      ...(conversation?.tenantId || tenantId ? { tenantId: conversation?.tenantId ?? tenantId } : {}),
      ...(conversation?.conversationType ? { conversationType: conversation.conversationType } : {}),
      ...(conversation?.isGroup !== undefined ? { isGroup: conversation.isGroup } : {}),
    },
    bot: { id: reference.bot?.id ?? "" },
    // A channel's reference must not vary with who spoke last; a person's may carry their language.
    ...(reference.locale && conversation?.conversationType === "personal" ? { locale: reference.locale } : {}),
  };
  return JSON.stringify(stored);
}

/** The reference for continueConversation, or null when the string is not one of ours. */
export function parseReference(serialized: string): (Partial<ConversationReference> & { locale?: string }) | null {
  let raw: unknown;
  try {
    raw = JSON.parse(serialized);
  } catch {
    return null;
  }
  const parsed = storedRefSchema.safeParse(raw);
  if (!parsed.success) return null;
  const stored = parsed.data;
  return {
    channelId: stored.channelId,
    serviceUrl: stored.serviceUrl,
    conversation: { ...stored.conversation, isGroup: stored.conversation.isGroup ?? false, name: "" },
    bot: { id: stored.bot.id, name: "" },
    ...(stored.locale ? { locale: stored.locale } : {}),
  } as Partial<ConversationReference>;
}

/** A sent message: its conversation and the activity ids of its parts (long messages are split). */
export function encodeSentRef(conversationRef: string, activityIds: string[]): string {
  return JSON.stringify({ ref: conversationRef, ids: activityIds });
}

export function decodeSentRef(sentRef: string): { ref: string; ids: string[] } | null {
  try {
    const parsed = sentRefSchema.safeParse(JSON.parse(sentRef));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
