import type { WebPage } from "../domain/link-purpose.ts";
import type { Block, Message, Text } from "../domain/message.ts";
import type { Address, PersonRecord } from "../ports/project-records.ts";
import type { Deps } from "./deps.ts";
import { formatDay } from "./messages/format-day.ts";
import { reply } from "./messages/reply.ts";
import { personalWebLink, replyIsPrivate } from "./web-link.ts";

/** `web` in chat: the person's own links to the web chat, the lessons library and (managers) the portfolio. */
export async function webCommand(deps: Deps, person: PersonRecord, where: Address): Promise<Message[]> {
  if (!replyIsPrivate(person, where)) return [reply(deps.prompts, person.locale, "weblink.direct-only")];
  return [{ fallback: deps.prompts.t(person.locale, "weblink.title"), blocks: await webLinkBlocks(deps, person) }];
}

/** A heading, a signed link per page this person may open, and how long they work; for their eyes only. */
export async function webLinkBlocks(deps: Deps, person: PersonRecord): Promise<Block[]> {
  const t = (key: string, vars?: Record<string, string | number>) => deps.prompts.t(person.locale, key, vars);
  const projects = await deps.stores.directory.projectsOf(person.id);
  const manages =
    person.roles.includes("admin") ||
    person.roles.includes("manager") ||
    projects.some((project) => project.role === "manager");
  const pages: WebPage[] = ["chat", "lessons", ...(manages ? (["portfolio"] as const) : [])];
  const links = pages.map((page) => ({ page, ...personalWebLink(deps, person, page) }));
  const until = formatDay(links[0]?.expiresAt ?? deps.clock.now(), person.locale);
  return [
    { type: "heading", text: [t("weblink.title")] },
    { type: "list", items: links.map((link): Text => [t(`weblink.page.${link.page}`, { url: link.url })]) },
    { type: "context", text: [t("weblink.personal", { until })] },
  ];
}
