import { channelMessage } from "../../domain/channel-language.ts";
import type { Locale } from "../../domain/locale.ts";
import type { Message } from "../../domain/message.ts";
import type { Address, ProjectRecord } from "../../ports/project-records.ts";
import type { PromptCatalog } from "../../ports/prompt-catalog.ts";

/**
 * A message for one of the project's channels: in the project's language on Slack and Teams
 * (both languages in one message when the lead chose so), and in the web chat in every
 * language, so each reader sees their own.
 */
export function forChannel(
  prompts: PromptCatalog,
  project: Pick<ProjectRecord, "language" | "locale">,
  address: Pick<Address, "platform">,
  build: (locale: Locale) => Message,
): Message {
  return channelMessage({
    language: project.language,
    first: project.locale,
    perReader: address.platform === "web",
    build,
    sectionLabel: (locale) => prompts.t(locale, "channel-language.section"),
  });
}
