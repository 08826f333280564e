// Whole pages: the chat itself and the short notices (sign-in needed, refused,
// persona chooser). Words come from prompts/web.*.yaml through `t`.

import type { Locale } from "../../src/domain/locale.ts";
import { ROLES } from "../../src/domain/role.ts";
import type { WebConversation, WebPersona } from "../../src/ports/web-message-store.ts";
import { pageShell } from "./page-shell.ts";
import { escapeHtml, type Translate } from "./render-html.ts";
import type { Viewer } from "./web-config.ts";

/**
 * Words the browser script needs; passed in a JSON block, never built into script text.
 * Placeholders the script fills itself are passed through as `{name}`.
 */
const CLIENT_PLACEHOLDERS = { code: "{code}" };
const CLIENT_KEYS = [
  "conversation.choose",
  "conversation.empty",
  "conversation.loading",
  "nav.unread",
  "status.sending",
  "status.sent",
  "status.error",
  "status.reconnecting",
  "status.live",
  "status.unavailable",
  "earlier.retroClosed",
  "earlier.retroAnswered",
  "earlier.show",
  "earlier.toOpenForm",
] as const;
const CLIENT_DATE = { date: "{date}", title: "{title}" };

export function renderChatPage(input: {
  viewer: Viewer;
  conversations: WebConversation[];
  personas: WebPersona[] | null;
  t: Translate;
  /** The other pages this person may open, linked from the top bar. */
  pages?: ("lessons" | "portfolio")[];
}): string {
  const { viewer, conversations, personas, t } = input;
  const pages = input.pages ?? [];
  const pageLinks =
    pages.length === 0
      ? ""
      : `<nav class="page-nav" aria-label="${escapeHtml(t("pages.label"))}"><ul>${pages
          .map((page) => `<li><a href="/${page}">${escapeHtml(t(`pages.${page}`))}</a></li>`)
          .join("")}</ul></nav>`;
  const strings = Object.fromEntries(
    CLIENT_KEYS.map((key) => [key, t(key, { ...CLIENT_PLACEHOLDERS, ...CLIENT_DATE })]),
  );
  const data = { strings, conversations, personId: viewer.id, locale: viewer.locale };
  const body = `
<a class="skip-link" href="#messages" data-skip="newest">${escapeHtml(t("page.skipToNewest"))}</a>
<a class="skip-link" href="#composer-input" data-skip="composer">${escapeHtml(t("page.skipToComposer"))}</a>
<header class="topbar">
  <h1>${escapeHtml(t("page.title"))}</h1>
  <p class="signed-in">${escapeHtml(t("page.signedInAs", { name: viewer.displayName }))}</p>
  ${pageLinks}
  ${personas ? renderPersonaSwitcher(personas, viewer.id, t) : ""}
</header>
<div class="layout">
  <nav class="conversations" aria-labelledby="conversations-heading">
    <h2 id="conversations-heading">${escapeHtml(t("nav.label"))}</h2>
    ${renderConversationList(conversations, t)}
  </nav>
  <main class="conversation" id="main">
    <h2 id="conversation-title" tabindex="-1">${escapeHtml(t("conversation.choose"))}</h2>
    <p id="connection-banner" class="banner" role="alert" hidden>${escapeHtml(t("connection.lost"))}</p>
    <div id="messages" class="messages" role="log" aria-live="polite" aria-labelledby="conversation-title" tabindex="-1"></div>
    <div class="composer-bar">
    <form id="composer" class="composer" hidden>
      <label for="composer-input">${escapeHtml(t("composer.label"))}</label>
      <p class="hint" id="composer-hint">${escapeHtml(t("composer.hint"))}</p>
      <div class="composer-row">
        <input type="text" id="composer-input" name="text" maxlength="2000" autocomplete="off" required aria-describedby="composer-hint">
        <button type="submit" class="btn btn-primary">${escapeHtml(t("composer.send"))}</button>
      </div>
    </form>
    <p id="status" class="status" role="status"></p>
    </div>
  </main>
</div>
<script type="application/json" id="leerlus-data">${jsonForScript(data)}</script>
<script src="/web/app.js" type="module"></script>`;
  return pageShell(viewer.locale, t("page.title"), body);
}

export function renderNoticePage(input: {
  locale: Locale;
  t: Translate;
  title: string;
  message: string;
  personas?: WebPersona[];
  /** A link back to the chat, with this label. */
  back?: string;
}): string {
  const { locale, t, title, message, personas } = input;
  const back = input.back ? `<p><a href="/">${escapeHtml(input.back)}</a></p>` : "";
  const choices = personas
    ? `<ul class="persona-choices">${personas
        .map(
          (persona) =>
            `<li><a href="/?as=${encodeURIComponent(persona.id)}" lang="${persona.locale}">${escapeHtml(persona.displayName)}</a> <span class="roles">${escapeHtml(roleNames(persona.roles, t))}</span></li>`,
        )
        .join("")}</ul>`
    : "";
  const body = `
<main class="notice" id="main">
  <h1>${escapeHtml(title)}</h1>
  <p>${escapeHtml(message)}</p>
  ${choices}${back}
</main>`;
  return pageShell(locale, `${title} · ${t("page.title")}`, body);
}

const KNOWN_ROLES: readonly string[] = ROLES;

/** Role ids as words in the viewer's language ("lid, trekker"); an id the prompts do not know stays as it is. */
function roleNames(roles: string[], t: Translate): string {
  return roles.map((role) => (KNOWN_ROLES.includes(role) ? t(`roles.${role}`) : role)).join(", ");
}

function renderPersonaSwitcher(personas: WebPersona[], currentId: string, t: Translate): string {
  const options = personas
    .map((persona) => {
      const selected = persona.id === currentId ? " selected" : "";
      const roles = persona.roles.length > 0 ? ` (${roleNames(persona.roles, t)})` : "";
      return `<option value="${escapeHtml(persona.id)}"${selected}>${escapeHtml(persona.displayName + roles)}</option>`;
    })
    .join("");
  return `<form class="persona-switcher" method="get" action="/">
    <p class="demo-notice">${escapeHtml(t("persona.demoNotice"))}</p>
    <label for="persona">${escapeHtml(t("persona.label"))}</label>
    <select id="persona" name="as">${options}</select>
    <button type="submit" class="btn">${escapeHtml(t("persona.switch"))}</button>
  </form>`;
}

function renderConversationList(conversations: WebConversation[], t: Translate): string {
  if (conversations.length === 0) return `<p>${escapeHtml(t("nav.empty"))}</p>`;
  const group = (kind: WebConversation["kind"], headingKey: string): string => {
    const items = conversations.filter((conversation) => conversation.kind === kind);
    if (items.length === 0) return "";
    const buttons = items
      .map(
        (conversation) =>
          `<li><button type="button" class="conversation-link" data-ref="${escapeHtml(conversation.ref)}">${escapeHtml(conversation.title)}<span class="unread" hidden></span></button></li>`,
      )
      .join("");
    return `<h3>${escapeHtml(t(headingKey))}</h3><ul>${buttons}</ul>`;
  };
  return group("direct", "nav.direct") + group("channel", "nav.channels");
}

/** JSON inside <script> must not be able to close the element or open a comment. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}
