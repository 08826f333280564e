// What a project's team channel reads. Slack and Teams show one message to everyone in
// the channel, so the lead picks its language (or both, for a team that mixes them);
// the web chat renders each reader their own, so a channel message carries every language.
import { LOCALES, type Locale } from "./locale.ts";
import type { Block, Message } from "./message.ts";

export const CHANNEL_LANGUAGES = ["nl", "en", "both"] as const;
export type ChannelLanguage = (typeof CHANNEL_LANGUAGES)[number];

export function toChannelLanguage(value: string | null | undefined, fallback: Locale): ChannelLanguage {
  return CHANNEL_LANGUAGES.find((language) => language === value) ?? fallback;
}

/**
 * A channel message for one surface. `build` writes it in one language. Where each reader
 * sees their own language (`perReader`), every language rides along in `byLocale`; elsewhere
 * the channel's language, or for `both` the first language's message followed by the other's,
 * each section opened by `sectionLabel` in its own language.
 */
export function channelMessage(input: {
  language: ChannelLanguage;
  /** Which language comes first when both are shown: the organisation's. */
  first: Locale;
  perReader: boolean;
  build: (locale: Locale) => Message;
  sectionLabel: (locale: Locale) => string;
}): Message {
  const { language, first } = input;
  // Each language is built once, however many places of the message show it.
  const built = new Map<Locale, Message>();
  const build = (locale: Locale): Message => {
    let message = built.get(locale);
    if (!message) {
      message = input.build(locale);
      built.set(locale, message);
    }
    return message;
  };
  const shown = language === "both" ? bilingual(first, build, input.sectionLabel) : build(language);
  if (!input.perReader) return shown;
  const byLocale = Object.fromEntries(LOCALES.map((locale) => [locale, build(locale)])) as Record<Locale, Message>;
  return { ...(language === "both" ? byLocale[first] : shown), byLocale };
}

function bilingual(first: Locale, build: (locale: Locale) => Message, sectionLabel: (locale: Locale) => string) {
  const order = [first, ...LOCALES.filter((locale) => locale !== first)];
  const parts = order.map((locale) => ({ locale, message: build(locale) }));
  const blocks: Block[] = parts.flatMap(({ locale, message }) => [
    { type: "context", text: [sectionLabel(locale)] } satisfies Block,
    ...message.blocks,
  ]);
  return { fallback: parts.map(({ message }) => message.fallback).join(" / "), blocks };
}
