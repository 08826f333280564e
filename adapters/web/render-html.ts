// The neutral Message as an HTML fragment. Everything is escaped, bot copy
// included, so nothing in a message can become markup; spans a person wrote are
// also marked so they read (and can be styled) as quoted user text.

import { buttonName, itemNames } from "../../src/domain/button-names.ts";
import type { Locale } from "../../src/domain/locale.ts";
import {
  type Block,
  type Button,
  type FormInput,
  linkOf,
  type Message,
  type Span,
  type Text,
  wellFormed,
} from "../../src/domain/message.ts";
import { renderBotText } from "./leerlus-links.ts";
import { isOwnMessage } from "./own-message.ts";

/** Page-chrome words, already scoped to the viewer's locale and the `web.` prefix. */
export type Translate = (key: string, vars?: Record<string, string | number>) => string;

export type RenderableMessage = { id: string; seq: string; message: Message; createdAt?: Date };

/** Who reads the message: their own typed lines read as their bubble, times in their language. */
export type RenderOptions = { viewerId?: string; locale?: Locale };

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(value: string): string {
  return wellFormed(value).replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

/** A person's text inert; a link to another system (a tracker's work item) opens in a new tab. */
function renderUserSpan(span: Exclude<Span, string>): string {
  const href = linkOf(span);
  if (!href) return `<span class="user-text">${escapeHtml(span.user)}</span>`;
  return `<a class="msg-link user-text" href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${escapeHtml(span.user)}</a>`;
}

export function renderText(text: Text): string {
  return text.map((span) => (typeof span === "string" ? escapeHtml(span) : renderUserSpan(span))).join("");
}

/** Like renderText, but links Leerlus itself wrote into bot copy become short, clickable labels. */
function renderMessageText(text: Text, t: Translate): string {
  return text.map((span) => (typeof span === "string" ? renderBotText(span, t) : renderUserSpan(span))).join("");
}

export function renderMessageHtml(stored: RenderableMessage, t: Translate, options: RenderOptions = {}): string {
  const idBase = domId(stored.id);
  // A channel message carries every language: each reader gets their own.
  const message = (options.locale && stored.message.byLocale?.[options.locale]) || stored.message;
  const own = isOwnMessage(message);
  // A form is named by its message's heading too: two retros' forms must not share one name.
  const headingIndex = message.blocks.findIndex((block) => block.type === "heading");
  const headingId = headingIndex < 0 ? undefined : `${idBase}-${headingIndex}-heading`;
  const items = itemNames(message.blocks);
  const blocks = message.blocks
    .map((block, index) =>
      block.type === "actions" && !mayUse(block.onlyFor, options.viewerId)
        ? ""
        : renderBlock(block, `${idBase}-${index}`, t, headingId, items.get(index)),
    )
    .join("");
  // A message without blocks still says something: its fallback.
  // The fallback may carry a name a person chose, unmarked: it stays plain text.
  const body = blocks === "" ? `<p>${escapeHtml(message.fallback)}</p>` : blocks;
  const author = escapeHtml(t(own ? "message.you" : "message.leerlus"));
  const time = stored.createdAt ? renderTime(stored.createdAt, options.locale) : "";
  const meta = `<p class="msg-meta"><span class="msg-author">${author}</span>${time}</p>`;
  const kind = own ? "msg msg-own" : "msg";
  // tabindex -1: the skip link and the page script move the focus to a message.
  return `<article class="${kind}" id="msg-${idBase}" tabindex="-1" data-id="${escapeHtml(stored.id)}" data-seq="${escapeHtml(stored.seq)}">${meta}${body}</article>`;
}

/** The server's reading (Amsterdam time); the page script re-reads it in the browser's own time zone. */
function renderTime(at: Date, locale = "nl"): string {
  const text = new Intl.DateTimeFormat(locale === "en" ? "en-GB" : "nl-NL", {
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: "Europe/Amsterdam",
  }).format(at);
  return ` <time class="msg-time" datetime="${at.toISOString()}">${escapeHtml(text)}</time>`;
}

function renderBlock(block: Block, idBase: string, t: Translate, headingId?: string, item?: string): string {
  const rich = (text: Text) => renderMessageText(text, t);
  switch (block.type) {
    case "heading":
      return `<h3 class="msg-heading" id="${idBase}-heading">${rich(block.text)}</h3>`;
    case "paragraph":
      return `<p class="msg-paragraph">${rich(block.text)}</p>`;
    case "context":
      return `<p class="msg-context"${itemAttribute(block.item)}>${rich(block.text)}</p>`;
    case "fields":
      return `<dl class="msg-fields">${block.fields
        .map((field) => `<div><dt>${escapeHtml(field.label)}</dt><dd>${rich(field.value)}</dd></div>`)
        .join("")}</dl>`;
    case "list":
      return `<ul class="msg-list">${block.items.map((item) => `<li>${rich(item)}</li>`).join("")}</ul>`;
    case "actions":
      return `<div class="msg-actions">${block.buttons
        .map((button) => renderButton(button, "button", item ? buttonName(button.label, item) : undefined))
        .join("")}</div>`;
    case "form":
      return renderForm(block, idBase, t, headingId);
  }
}

/** `name`: the accessible name when the visible label alone does not say what it acts on. */
function renderButton(button: Button, type: "button" | "submit", name?: string): string {
  const style = button.style ? ` btn-${button.style}` : "";
  const label = name ? ` aria-label="${escapeHtml(name)}"` : "";
  return `<button type="${type}" class="btn${style}"${label} data-action-id="${escapeHtml(button.actionId)}" data-value="${escapeHtml(button.value)}">${escapeHtml(button.label)}</button>`;
}

function renderForm(block: Extract<Block, { type: "form" }>, idBase: string, t: Translate, headingId?: string): string {
  const titleId = `${idBase}-title`;
  const labelledBy = headingId ? `${headingId} ${titleId}` : titleId;
  const inputs = block.inputs.map((input, index) => renderInput(input, `${idBase}-in${index}`, t)).join("");
  // The page asks for a refreshable form as it stands for the reader, so it opens with their answers.
  const refresh = block.refresh
    ? ` data-refresh-action="${escapeHtml(block.refresh.actionId)}" data-refresh-value="${escapeHtml(block.refresh.value)}"`
    : "";
  // Named as a group, not as a form: a named form is a landmark, and a chat holds many alike
  // (two setup forms, a retro and its reminder), which landmarks must not be.
  return (
    `<form class="msg-form" data-form-id="${escapeHtml(block.formId)}"${refresh}` +
    ` data-action-id="${escapeHtml(block.submit.actionId)}" data-value="${escapeHtml(block.submit.value)}">` +
    `<div role="group" aria-labelledby="${labelledBy}">` +
    `<h3 class="msg-form-title" id="${titleId}">${escapeHtml(block.title)}</h3>${inputs}` +
    `<div class="msg-form-submit">${renderButton(block.submit, "submit")}</div></div></form>`
  );
}

function renderInput(input: FormInput, id: string, t: Translate): string {
  const required = input.required ? " required" : "";
  const label = `${escapeHtml(input.label)}${input.required ? ` <span class="required">${escapeHtml(t("form.required"))}</span>` : ""}`;
  const name = escapeHtml(input.key);
  switch (input.kind) {
    case "text":
    case "multiline": {
      const hintId = `${id}-hint`;
      const hint = `<p class="hint" id="${hintId}">${escapeHtml(t("form.maxLength", { max: input.maxLength }))}</p>`;
      const common = `id="${id}" name="${name}" maxlength="${input.maxLength}" aria-describedby="${hintId}"${required}`;
      const control =
        input.kind === "text"
          ? input.secret
            ? `<input type="password" autocomplete="off" ${common}>`
            : `<input type="text" ${common} value="${escapeHtml(input.value ?? "")}">`
          : `<textarea ${common} rows="4">${escapeHtml(input.value ?? "")}</textarea>`;
      return `<div class="field"><label for="${id}">${label}</label>${hint}${control}</div>`;
    }
    case "choice":
      return radioGroup(
        id,
        name,
        label,
        required,
        input.options.map((option) => ({ value: option.value, label: escapeHtml(option.label) })),
        input.value,
        "",
      );
    case "person":
      return personPicker(input, id, label, required, t);
    case "scale": {
      const hintId = `${id}-hint`;
      const hint = `<p class="hint" id="${hintId}">${escapeHtml(t("form.scaleHint", { min: input.minLabel, max: input.maxLabel }))}</p>`;
      const options = [1, 2, 3, 4, 5].map((step) => ({ value: String(step), label: String(step) }));
      const current = input.value === undefined ? undefined : String(input.value);
      return radioGroup(id, name, label, required, options, current, hint, hintId, "scale");
    }
  }
}

/**
 * A list of hundreds of people: a native select (type-ahead, every screen reader knows it) with a
 * search box that narrows it (the page script). An optional one has "nobody", so it can be cleared.
 */
function personPicker(
  input: Extract<FormInput, { kind: "person" }>,
  id: string,
  label: string,
  required: string,
  t: Translate,
): string {
  const none = input.required ? t("form.personChoose") : t("form.personNone");
  const options = [
    `<option value=""${input.value ? "" : " selected"}>${escapeHtml(none)}</option>`,
    ...input.people.map(
      (person) =>
        `<option value="${escapeHtml(person.value)}"${person.value === input.value ? " selected" : ""}>${escapeHtml(person.label)}</option>`,
    ),
  ].join("");
  const search = escapeHtml(t("form.personSearch"));
  return (
    `<div class="field person"><label for="${id}">${label}</label>` +
    `<input type="search" class="person-search" id="${id}-search" aria-controls="${id}" autocomplete="off"` +
    ` aria-label="${search}: ${escapeHtml(input.label)}" placeholder="${search}">` +
    `<select id="${id}" name="${escapeHtml(input.key)}"${required}>${options}</select></div>`
  );
}

function radioGroup(
  id: string,
  name: string,
  legend: string,
  required: string,
  options: { value: string; label: string }[],
  current: string | undefined,
  hint: string,
  hintId?: string,
  extraClass = "choice",
): string {
  const describedBy = hintId ? ` aria-describedby="${hintId}"` : "";
  const radios = options
    .map((option, index) => {
      const checked = option.value === current ? " checked" : "";
      return `<label class="option" for="${id}-${index}"><input type="radio" id="${id}-${index}" name="${name}" value="${escapeHtml(option.value)}"${required}${checked}> <span>${option.label}</span></label>`;
    })
    .join("");
  return `<fieldset class="field ${extraClass}"${describedBy}><legend>${legend}</legend>${hint}<div class="options">${radios}</div></fieldset>`;
}

/** Buttons meant for some people only (a lead's) are not drawn for the others. */
function mayUse(onlyFor: string[] | undefined, viewerId: string | undefined): boolean {
  return onlyFor === undefined || (viewerId !== undefined && onlyFor.includes(viewerId));
}

/** What a state line is about (a decided item, a closed retro's form), for the page script. */
function itemAttribute(item: string | undefined): string {
  return item === undefined ? "" : ` data-item="${escapeHtml(item)}"`;
}

/** Message ids are uuids; this keeps any other id safe inside id attributes too. */
function domId(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, "_");
}
