// Every message shows its state: once an item (a proposed lesson, an action, a checkpoint) is
// decided, the messages that show it are rewritten where they were sent, its buttons swapped
// for who decided what and an *undo*. The messages are the core's own outbox rows, found by
// the keys the core gave them; what a platform made of them stays behind `updateSent`.
import type { Locale } from "../domain/locale.ts";
import type { Block, Message } from "../domain/message.ts";
import { type ChatAdapter, DeliveryError } from "../ports/chat-adapter.ts";
import type { StoredOutboxMessage } from "../ports/outbox-store.ts";
import type { Deps } from "./deps.ts";

/** An item's blocks in the language of the message they go into. */
export type ItemBlocks = (locale: Locale) => Block[];

/** The id in an item name ("lesson:<id>" → "<id>"). */
function itemId(item: string): string {
  return item.slice(item.indexOf(":") + 1);
}

/**
 * Whether a block shows the item: marked with it, or (messages sent before blocks were marked)
 * an actions block whose buttons are about it.
 */
function showsItem(block: Block, item: string): boolean {
  if ("item" in block && block.item !== undefined) return block.item === item;
  if (block.type !== "actions") return false;
  const id = itemId(item);
  return block.buttons.some((button) => button.value === id || button.value.startsWith(`${id}:`));
}

/**
 * Each run of the item's blocks swapped for its new blocks, in the run's language (a message
 * for a bilingual channel shows the item once in each); null when none shows the item.
 */
function swapItem(blocks: Block[], item: string, build: ItemBlocks, locale: Locale): Block[] | null {
  const out: Block[] = [];
  let found = false;
  for (let index = 0; index < blocks.length; ) {
    const block = blocks[index] as Block;
    if (!showsItem(block, item)) {
      out.push(block);
      index++;
      continue;
    }
    let runLocale: Locale | undefined;
    for (; index < blocks.length && showsItem(blocks[index] as Block, item); index++) {
      const current = blocks[index] as Block;
      runLocale ??= "locale" in current ? current.locale : undefined;
    }
    out.push(...build(runLocale ?? locale));
    found = true;
  }
  return found ? out : null;
}

/**
 * The message with the item's blocks swapped for its new ones, in every language it carries
 * (`byLocale`, for readers who each see their own); null when it does not show the item.
 */
export function withItemState(message: Message, item: string, build: ItemBlocks, fallback: Locale): Message | null {
  const blocks = swapItem(message.blocks, item, build, message.locale ?? fallback);
  const languages = Object.entries(message.byLocale ?? {}).map(([locale, version]) => {
    const swapped = version ? swapItem(version.blocks, item, build, version.locale ?? (locale as Locale)) : null;
    return [locale, swapped && version ? { ...version, blocks: swapped } : version] as const;
  });
  const anyLanguage = languages.some(([locale, version]) => version !== message.byLocale?.[locale as Locale]);
  if (!blocks && !anyLanguage) return null;
  return {
    ...message,
    blocks: blocks ?? message.blocks,
    ...(message.byLocale ? { byLocale: Object.fromEntries(languages) } : {}),
  };
}

/**
 * Rewrites the organisation's messages under `keyPrefixes` that show `item` with its new
 * blocks: stored, then updated on their platforms. Returns the rewritten message that went to
 * `conversationRef` (the one acted on, for the platforms that answer an action with it).
 */
export async function showItemState(
  deps: Deps,
  input: {
    organisationId: string;
    keyPrefixes: string[];
    item: string;
    blocks: ItemBlocks;
    fallbackLocale: Locale;
    conversationRef?: string;
  },
): Promise<Message | null> {
  return rewriteMessages(deps, input.organisationId, input.keyPrefixes, input.conversationRef, (message) =>
    withItemState(message, input.item, input.blocks, input.fallbackLocale),
  );
}

/**
 * Rewrites each stored message under the prefixes that `change` changes (null: leaves it), one
 * writer per message at a time, then updates the sent ones on their platforms.
 */
export async function rewriteMessages(
  deps: Deps,
  organisationId: string,
  keyPrefixes: string[],
  conversationRef: string | undefined,
  change: (message: Message) => Message | null,
  options: { queued?: boolean } = {},
): Promise<Message | null> {
  const found = await deps.stores.outbox.withKeyPrefixes(organisationId, keyPrefixes);
  if (found.length === 0) return null;
  // Two decisions on items of one message at once: each rewrites the message as the other left it.
  const changed = await deps.unitOfWork(
    found.map((row) => `message:${row.id}`),
    async (tx) => {
      const rows = await tx.outbox.withKeyPrefixes(organisationId, keyPrefixes);
      const out: { row: StoredOutboxMessage; message: Message; changed: boolean }[] = [];
      for (const row of rows) {
        const message = change(row.message);
        if (!message) continue;
        const changed = JSON.stringify(message) !== JSON.stringify(row.message);
        if (changed) await tx.outbox.revise(row.id, message);
        out.push({ row, message, changed });
      }
      return out;
    },
  );
  const sent = changed.filter((entry) => entry.changed && entry.row.sentRef);
  // Many at once (a retro's forms): through the platform's delivery queue, whose retries and
  // back-off keep within its limits. One the person just acted on: at once.
  if (options.queued) {
    await deps.dispatcher.updateSent(sent.map(({ row }) => ({ id: row.id, platform: row.address.platform })));
    return null;
  }
  for (const { row, message } of sent) {
    if (!row.sentRef || !deps.updateSent) continue;
    try {
      await deps.updateSent(row.address.platform, row.sentRef, message);
    } catch (error) {
      // The decision stands and is stored; the message catches up at its next change.
      deps.logger.warn(
        { code: "MESSAGE_UPDATE_FAILED", platform: row.address.platform, err: (error as Error)?.name },
        "could not update a sent message",
      );
    }
  }
  // Unchanged too: a click on a stale copy (a second click) gets the message as it reads now.
  const acted = changed.filter(({ row }) => row.address.conversationRef === conversationRef).at(-1);
  return acted ? { ...acted.message, updatesSource: true } : null;
}

/**
 * The delivery worker's part of {@link rewriteMessages}: each message as stored now, through
 * its platform's adapter. A permanent refusal is logged; a retryable one fails the job, which
 * is tried again with back-off (an update repeated is harmless).
 */
export async function updateSentMessages(
  deps: Pick<Deps, "stores" | "logger">,
  adapters: ReadonlyMap<string, ChatAdapter>,
  outboxIds: readonly string[],
): Promise<void> {
  let retry: unknown;
  for (const row of await deps.stores.outbox.stored(outboxIds)) {
    const adapter = adapters.get(row.address.platform);
    if (!row.sentRef || !adapter) continue;
    try {
      await adapter.update(row.sentRef, row.message);
    } catch (error) {
      if (error instanceof DeliveryError && !error.retryable) {
        deps.logger.warn({ code: "MESSAGE_UPDATE_REFUSED", outboxId: row.id }, "a platform refused a message update");
      } else retry ??= error;
    }
  }
  if (retry !== undefined) throw retry;
}

/** A closed retro's forms (prompts and reminders) say it is closed, and can no longer be sent. */
export async function showRetroClosed(
  deps: Deps,
  input: { organisationId: string; projectId: string; cycleId: string; locale: Locale },
): Promise<void> {
  const formId = `retro-${input.projectId}:${input.cycleId}`;
  await rewriteMessages(
    deps,
    input.organisationId,
    [`prompt:${input.cycleId}:`, `reminder:${input.cycleId}:`],
    undefined,
    (message) => {
      if (!message.blocks.some((block) => block.type === "form" && block.formId === formId)) return null;
      const closed = deps.prompts.t(message.locale ?? input.locale, "state.retro.closed");
      return {
        ...message,
        // Buttons about the retro (answer one question at a time) go with its form.
        blocks: message.blocks
          .filter(
            (block) => block.type !== "actions" || !block.buttons.some((button) => button.value === input.cycleId),
          )
          .map((block) =>
            // Marked with the form's id: the web chat still folds an earlier retro by it.
            block.type === "form" && block.formId === formId
              ? { type: "context", item: formId, text: [closed] }
              : block,
          ),
      };
    },
    { queued: true },
  );
}
