import { formatDay } from "../../domain/digest-day.ts";
import type { Locale } from "../../domain/locale.ts";
import type { Block, Message } from "../../domain/message.ts";
import type { DigestView } from "../../ports/digest-view.ts";
import type { PromptCatalog } from "../../ports/prompt-catalog.ts";

const RECURRING_IN_CHAT = 3;

/** The adviser's chat message: the headlines, the most useful lessons and a link to the full digest. */
export function digestMessage(input: {
  prompts: PromptCatalog;
  locale: Locale;
  view: DigestView;
  link: { url: string; expiresAt: Date };
}): Message {
  const { prompts, locale, view } = input;
  const t = (key: string, vars?: Record<string, string | number>) => prompts.t(locale, `digests.${key}`, vars);
  const section = (id: string) => view.sections.find((candidate) => candidate.id === id);
  const blocks: Block[] = [
    // The title names the organisation and the notes name projects: people chose those names.
    { type: "heading", text: [{ user: view.title }] },
    { type: "context", text: [view.period] },
    { type: "heading", text: [t("headlines")] },
    { type: "list", items: view.headlines.map((headline) => [headline]) },
  ];
  const highlights = section("highlights");
  if (highlights?.items.some((item) => item.user)) {
    blocks.push({ type: "heading", text: [highlights.title] });
    blocks.push({
      type: "list",
      items: highlights.items.map((item) =>
        item.user ? [{ user: item.text }, " — ", { user: item.note ?? "" }] : [item.text],
      ),
    });
  }
  const recurring = section("recurring");
  if (recurring?.items.some((item) => item.label)) {
    blocks.push({ type: "heading", text: [recurring.title] });
    blocks.push({
      type: "list",
      items: recurring.items.slice(0, RECURRING_IN_CHAT).map((item) => [`${item.label}: ${item.text}`]),
    });
  }
  // What advisers planned and gave: titles they wrote and project names stay inert.
  const loop = section("loop");
  if (loop?.items.some((item) => item.label)) {
    blocks.push({ type: "heading", text: [loop.title] });
    blocks.push({
      type: "list",
      items: loop.items.map((item) => [{ user: `${item.label}: ${item.text}${item.note ? ` — ${item.note}` : ""}` }]),
    });
  }
  blocks.push({
    type: "paragraph",
    text: [t("link", { url: input.link.url, until: formatDay(input.link.expiresAt, locale) })],
  });
  return { fallback: `${view.title}: ${view.headlines[0] ?? ""}`, blocks };
}
