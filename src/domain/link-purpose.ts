// What a signed link opens, written into its token as its purpose: a web page of the person
// it names, or an organisation's digests. A page accepts only tokens of its own purpose.

/** The pages a personal web link may land on; anything else in a token is refused. */
export const WEB_PAGES = { chat: "/", lessons: "/lessons", portfolio: "/portfolio" } as const;
export type WebPage = keyof typeof WEB_PAGES;

/** "web" alone is the chat (the purpose links had before they named a page). */
export const webLinkPurpose = (page: WebPage): string => (page === "chat" ? "web" : `web:${page}`);

/** The path a verified link's purpose lands on, or null when it is no web-page link. */
export function webLinkTarget(purpose: string): string | null {
  if (purpose === "web") return WEB_PAGES.chat;
  const page = purpose.startsWith("web:") ? purpose.slice(4) : "";
  return Object.hasOwn(WEB_PAGES, page) ? WEB_PAGES[page as WebPage] : null;
}

/** The token's purpose binds a digest link to one organisation's digests. */
export const digestPurpose = (organisationId: string) => `digests:${organisationId}`;
