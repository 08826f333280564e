// Links Leerlus itself puts in its copy (personal sign-in links, digest pages, the privacy
// statement) are long signed URLs: in the web chat they become short labels ("Open het
// projectenoverzicht"). Only bot copy goes through here, never text a person wrote, and
// only paths of Leerlus's own pages count; the link keeps its path and query but not its
// host, so it opens on this server whatever PUBLIC_URL says.
import { escapeHtml, type Translate } from "./render-html.ts";

const URL_IN_TEXT = /https?:\/\/[^\s<>"']+/g;
const TRAILING = /[.,;:!?)]+$/;

/** Which page a signed web link lands on, from its purpose; the server checks the signature on use. */
const SIGNIN_PAGES: Record<string, string> = { web: "chat", "web:lessons": "lessons", "web:portfolio": "portfolio" };

function linkPage(url: URL): string | null {
  const path = url.pathname;
  if (path === "/signin") return SIGNIN_PAGES[tokenPurpose(url.searchParams.get("token")) ?? ""] ?? "chat";
  if (path.startsWith("/digests/") || path === "/digests") return "digest";
  if (path === "/privacy" || path === "/terms") return path.slice(1);
  if (path === "/privacy/export") return "export";
  if (path === "/lessons" || path === "/portfolio") return path.slice(1);
  return null;
}

function tokenPurpose(token: string | null): string | null {
  const body = token?.split(".")[0];
  if (!body) return null;
  try {
    const payload: unknown = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
    return typeof payload === "object" && payload !== null && "u" in payload && typeof payload.u === "string"
      ? payload.u
      : null;
  } catch {
    return null;
  }
}

/** Escaped bot copy with each Leerlus page URL as `<a>` with a short label; any other URL stays text. */
export function renderBotText(text: string, t: Translate): string {
  let html = "";
  let last = 0;
  for (const match of text.matchAll(URL_IN_TEXT)) {
    const raw = match[0].replace(TRAILING, "");
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      continue;
    }
    const page = linkPage(url);
    if (!page) continue;
    html += escapeHtml(text.slice(last, match.index));
    const href = `${url.pathname}${url.search}`;
    html += `<a class="msg-link" href="${escapeHtml(href)}">${escapeHtml(t(`link.${page}`))}</a>`;
    last = match.index + raw.length;
  }
  return html + escapeHtml(text.slice(last));
}
