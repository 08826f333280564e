import type { InboundEvent } from "../domain/inbound-event.ts";
import { toLocale } from "../domain/locale.ts";
import type { Message } from "../domain/message.ts";
import type { Deps } from "./deps.ts";
import { handleEvent } from "./handle-event.ts";
import { reply } from "./messages/reply.ts";

/**
 * What adapters call. When something behind the core fails (the database is unreachable,
 * say), the person is told plainly that their input was not saved and to send it again,
 * rather than seeing a platform error or nothing; what was saved before stays saved.
 */
export async function handleEventSafely(deps: Deps, event: InboundEvent): Promise<Message[]> {
  try {
    return await handleEvent(deps, event);
  } catch (error) {
    deps.logger.error(
      {
        code: "EVENT_FAILED",
        event: event.type,
        platform: event.platform,
        error: error instanceof Error ? error.name : typeof error,
      },
      "handling a chat event failed",
    );
    const locale = toLocale(event.profile?.locale?.slice(0, 2));
    return [reply(deps.prompts, locale, event.type === "formSubmitted" ? "errors.not-saved" : "errors.try-again")];
  }
}
