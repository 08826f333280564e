// Storage and signalling the local web chat needs. The web chat has no platform of
// its own, so its messages live in our database and a cross-process signal tells
// the serve process (which holds the browser connections) that a conversation changed.
import type { Locale } from "../domain/locale.ts";
import type { Message } from "../domain/message.ts";

export type StoredWebMessage = {
  /** Monotonic position across all conversations (a BigInt column, as a decimal string). */
  seq: string;
  id: string;
  conversationRef: string;
  /** null: everyone in the conversation sees it; otherwise only this person (a reply to them). */
  visibleTo: string | null;
  message: Message;
  createdAt: Date;
  updatedAt: Date;
};

export type WebMessageStore = {
  /** With `id`, a message already stored under that id is returned unchanged instead. */
  append(conversationRef: string, message: Message, visibleTo?: string, id?: string): Promise<StoredWebMessage>;
  /** null when no message has that id. */
  replace(id: string, message: Message): Promise<StoredWebMessage | null>;
  /**
   * Messages in these conversations that are public or visible to the viewer, in
   * ascending seq: the most recent `limit` (default 200), after `afterSeq` when given.
   */
  list(
    conversationRefs: string[],
    viewerId: string,
    options?: { afterSeq?: string; limit?: number },
  ): Promise<StoredWebMessage[]>;
};

/** "This conversation changed": sent by whichever process wrote, heard by the one holding browsers. */
export type ConversationNotifier = {
  publish(conversationRef: string): Promise<void>;
  /** Resolves once listening; the returned function stops listening. */
  subscribe(listener: (conversationRef: string) => void): Promise<() => Promise<void>>;
};

export type WebPerson = { id: string; organisationId: string; displayName: string; locale: Locale };
export type WebPersona = { id: string; displayName: string; roles: string[]; locale: Locale };
export type WebConversation = { ref: string; kind: "direct" | "channel"; title: string };

/** Who is who on the web platform; implemented from the database by the composition root. */
export type WebDirectory = {
  person(personId: string): Promise<WebPerson | null>;
  /**
   * The person a verified link names, given a web chat identity if they had none (people
   * from Slack or Teams), so the core knows them in the web chat too; null once erased.
   * Without it, the person as they are.
   */
  admit?(personId: string): Promise<WebPerson | null>;
  /** Demo mode only: the people a visitor may pretend to be. */
  personas(): Promise<WebPersona[]>;
  /** The conversations a person may read and write in. */
  conversationsFor(personId: string): Promise<WebConversation[]>;
};
