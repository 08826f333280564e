// Leerlus web chat page. No framework and no build step: the server renders every
// message to escaped HTML; this script only places fragments, posts what the person
// does, and listens for server-sent events.

const data = JSON.parse(document.getElementById("leerlus-data").textContent);
const strings = data.strings;
const conversations = new Map(data.conversations.map((conversation) => [conversation.ref, conversation]));

const messagesElement = document.getElementById("messages");
const titleElement = document.getElementById("conversation-title");
const composer = document.getElementById("composer");
const composerInput = document.getElementById("composer-input");
const statusElement = document.getElementById("status");
const bannerElement = document.getElementById("connection-banner");
const locale = data.locale === "en" ? "en-GB" : "nl-NL";
const timeFormat = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit" });
const dayTimeFormat = new Intl.DateTimeFormat(locale, {
  day: "numeric",
  month: "short",
  hour: "2-digit",
  minute: "2-digit",
});
const dayFormat = new Intl.DateTimeFormat(locale, { day: "numeric", month: "long" });
const conversationButtons = [...document.querySelectorAll(".conversation-link")];

/** Server HTML per message id, so an unchanged resend doesn't wipe a half-filled form. */
const renderedHtml = new Map();
let current = null;
let disconnected = false;

function setStatus(text) {
  statusElement.textContent = text;
}

function showError(error) {
  if (error.code === "TEMPORARILY_UNAVAILABLE") return setStatus(strings["status.unavailable"]);
  setStatus(strings["status.error"].replace("{code}", error.code ?? "NETWORK_ERROR"));
}

async function api(path, body) {
  const init =
    body === undefined
      ? { headers: { Accept: "application/json" } }
      : {
          method: "POST",
          headers: { Accept: "application/json", "Content-Type": "application/json" },
          body: JSON.stringify(body),
        };
  const response = await fetch(path, init);
  let payload = null;
  try {
    payload = await response.json();
  } catch {
    payload = null;
  }
  if (!response.ok) {
    const code = payload?.error?.code ?? `HTTP_${response.status}`;
    throw Object.assign(new Error(code), { code });
  }
  return payload;
}

/** What in a message has the focus, so a new rendering of it can take the focus back. */
function focusKey(message) {
  const active = document.activeElement;
  if (!active || !message.contains(active)) return null;
  if (active === message) return { self: true };
  return { actionId: active.dataset?.actionId, value: active.dataset?.value, name: active.getAttribute("name") };
}

function restoreFocus(message, key) {
  if (!key) return;
  const same = [...message.querySelectorAll("button, input, textarea, a")].find(
    (element) =>
      !key.self &&
      ((key.actionId !== undefined &&
        element.dataset.actionId === key.actionId &&
        element.dataset.value === key.value) ||
        (key.name && element.getAttribute("name") === key.name)),
  );
  (same ?? message).focus({ preventScroll: true });
}

function upsert(item) {
  if (renderedHtml.get(item.id) === item.html) return;
  const template = document.createElement("template");
  template.innerHTML = item.html;
  const node = template.content.firstElementChild;
  if (!node) return;
  renderedHtml.set(item.id, item.html);
  messagesElement.querySelector(".empty")?.remove();
  localTimes(node);
  refreshForms(node);
  const existing = messageById(item.id);
  if (existing) {
    // A message changed in place (a decision recorded) keeps the reader where they were.
    const key = focusKey(existing);
    (existing.closest(".msg-earlier") ?? existing).replaceWith(node);
    restoreFocus(node, key);
  } else {
    const seq = BigInt(item.seq);
    const later = [...messagesElement.querySelectorAll(".msg")].find((element) => BigInt(element.dataset.seq) > seq);
    messagesElement.insertBefore(node, later?.closest(".msg-earlier") ?? later ?? null);
    if (!later) scrollToEnd();
  }
  arrangeForms();
}

/** The newest message just above the message box, which stays pinned to the bottom. */
function scrollToEnd() {
  window.scrollTo({ top: document.documentElement.scrollHeight });
}

/** Times in the browser's own time zone: only the time for today, with the day otherwise. */
function localTimes(node) {
  for (const time of node.querySelectorAll("time.msg-time")) {
    const at = new Date(time.dateTime);
    if (Number.isNaN(at.getTime())) continue;
    const today = new Date().toDateString() === at.toDateString();
    time.textContent = (today ? timeFormat : dayTimeFormat).format(at);
  }
}

/**
 * Earlier retros fold to one line with *show*; a reminder of the open retro links to its form
 * instead of repeating it. Retro forms are known by their form id ("retro-<project>:<cycle>").
 */
function arrangeForms() {
  // A reminder whose form was already swapped for a link keeps the form's id on the message.
  // A closed retro's form became a line marked with the form's id.
  const withForm = [...messagesElement.querySelectorAll(".msg")]
    .map((message) => {
      const form = message.querySelector('form.msg-form[data-form-id^="retro-"]');
      const closed = message.querySelector('[data-item^="retro-"]')?.dataset.item;
      return { message, form, formId: form?.dataset.formId ?? closed ?? message.dataset.retroForm };
    })
    .filter((entry) => entry.formId);
  // "retro-<project>:<cycle>": the newest cycle of each project is the open one.
  const project = (formId) => formId.split(":")[0];
  const newest = new Map(withForm.map(({ formId }) => [project(formId), formId]));
  const first = new Map();
  for (const { message, form, formId } of withForm) {
    if (!first.has(formId)) first.set(formId, message);
    else if (form) pointToForm(message, form, first.get(formId));
    if (formId === newest.get(project(formId))) continue;
    // An earlier retro is one line: its first message folds, its reminders go out of sight.
    if (first.get(formId) === message) fold(message, form);
    else message.hidden = true;
  }
}

function pointToForm(message, form, opener) {
  message.dataset.retroForm = form.dataset.formId;
  const link = document.createElement("p");
  link.className = "msg-form-link";
  const anchor = document.createElement("a");
  anchor.href = `#${opener.id}`;
  anchor.textContent = strings["earlier.toOpenForm"];
  link.append(anchor);
  form.replaceWith(link);
}

function fold(message, form) {
  if (message.parentElement?.matches("details.msg-earlier")) return;
  const created = message.querySelector("time.msg-time")?.dateTime;
  const date = created ? dayFormat.format(new Date(created)) : "";
  const answered = form && [...new FormData(form).values()].some((value) => String(value).trim() !== "");
  const details = document.createElement("details");
  details.className = "msg-earlier";
  const summary = document.createElement("summary");
  const title = message.querySelector(".msg-heading")?.textContent ?? "";
  const label = strings[answered ? "earlier.retroAnswered" : "earlier.retroClosed"]
    .replace("{title}", title)
    .replace("{date}", date);
  summary.append(`${label} · `);
  const show = document.createElement("span");
  show.className = "msg-earlier-show";
  show.textContent = strings["earlier.show"];
  summary.append(show);
  message.replaceWith(details);
  details.append(summary, message);
}

// A link to a message inside a folded retro opens the fold first.
messagesElement.addEventListener("click", (event) => {
  const anchor = event.target.closest('a[href^="#msg-"]');
  if (!anchor) return;
  const target = document.getElementById(anchor.getAttribute("href").slice(1));
  if (!target) return;
  event.preventDefault();
  const fold = target.closest("details");
  if (fold) fold.open = true;
  target.scrollIntoView({ block: "start" });
  target.querySelector("input, textarea, button")?.focus({ preventScroll: true });
});

function showEmpty() {
  const empty = document.createElement("p");
  empty.className = "empty";
  empty.textContent = strings["conversation.empty"];
  messagesElement.replaceChildren(empty);
}

async function loadMessages(ref, { clear }) {
  if (clear) {
    renderedHtml.clear();
    messagesElement.replaceChildren();
    setStatus(strings["conversation.loading"]);
  }
  const { messages } = await api(`/web/api/conversations/${encodeURIComponent(ref)}/messages`);
  if (current !== ref) return;
  if (clear) setStatus("");
  if (messages.length === 0 && messagesElement.querySelector(".msg") === null) showEmpty();
  for (const item of messages) upsert(item);
  if (clear) scrollToEnd();
}

async function select(ref) {
  const conversation = conversations.get(ref);
  if (!conversation) return;
  current = ref;
  for (const button of conversationButtons) {
    const selected = button.dataset.ref === ref;
    if (selected) button.setAttribute("aria-current", "true");
    else button.removeAttribute("aria-current");
    if (selected) button.querySelector(".unread").hidden = true;
  }
  titleElement.textContent = conversation.title;
  composer.hidden = false;
  history.replaceState(null, "", `#${encodeURIComponent(ref)}`);
  try {
    await loadMessages(ref, { clear: true });
  } catch (error) {
    showError(error);
  }
}

function markUnread(ref) {
  const button = conversationButtons.find((candidate) => candidate.dataset.ref === ref);
  const badge = button?.querySelector(".unread");
  if (!badge) return;
  badge.textContent = strings["nav.unread"];
  badge.hidden = false;
}

/**
 * A retro form in the chat is asked for again as it stands for this person, so after a reload
 * it shows their answers (and sending it changes only what they change). A form they already
 * started typing in is left alone.
 */
function refreshForms(node) {
  for (const form of node.querySelectorAll("form.msg-form[data-refresh-action]")) refreshForm(form, node.dataset.id);
}

/** After anything the person did (a typed answer, a sent form), the retro forms they are not editing catch up. */
function refreshUneditedForms() {
  for (const form of messagesElement.querySelectorAll("form.msg-form[data-refresh-action]:not([data-edited])")) {
    refreshForm(form, form.closest(".msg")?.dataset.id);
  }
}

function refreshForm(form, messageId) {
  const conversationRef = current;
  if (!messageId || !conversationRef) return;
  const body = { conversationRef, messageId, actionId: form.dataset.refreshAction, value: form.dataset.refreshValue };
  api("/web/api/form-state", body)
    .then(({ html }) => {
      if (!html || form.dataset.edited || !form.isConnected || current !== conversationRef) return;
      const template = document.createElement("template");
      template.innerHTML = html;
      const fresh = template.content.querySelector("form.msg-form");
      if (!fresh) return;
      // Still named by its message's heading, and by its own title.
      const group = form.querySelector('[role="group"]');
      const heading = (group?.getAttribute("aria-labelledby") ?? "").split(" ").slice(0, -1);
      const title = fresh.querySelector(".msg-form-title")?.id;
      fresh
        .querySelector('[role="group"]')
        ?.setAttribute("aria-labelledby", [...heading, title].filter(Boolean).join(" "));
      form.replaceWith(fresh);
    })
    .catch(() => {});
}

// A person picker's search box narrows its list to the names that contain what is typed and
// picks the first of them, as a combo box does; "nobody" always stays, so a choice can be cleared.
messagesElement.addEventListener("input", (event) => {
  const search = event.target.closest("input.person-search");
  const list = search && document.getElementById(search.getAttribute("aria-controls"));
  if (!list) return;
  const wanted = search.value.trim().toLocaleLowerCase();
  const matches = (option) => option.text.toLocaleLowerCase().includes(wanted);
  for (const option of list.options) option.hidden = option.value !== "" && !matches(option);
  const first = [...list.options].find((option) => option.value !== "" && !option.hidden);
  if (wanted !== "" && first && !(list.value !== "" && matches(list.selectedOptions[0]))) list.value = first.value;
});

// A form the person started typing in is theirs: no refresh overwrites it until they send it.
messagesElement.addEventListener("input", (event) => {
  const form = event.target.closest("form.msg-form");
  if (form) form.dataset.edited = "true";
});

async function post(path, body, busyElement) {
  if (!current) return false;
  const acted = busyElement?.closest(".msg")?.dataset.id;
  let answer;
  let result = null;
  if (busyElement) busyElement.disabled = true;
  setStatus(strings["status.sending"]);
  try {
    result = await api(path, { conversationRef: current, ...body });
    const { replies } = result;
    for (const reply of replies) if (reply.conversationRef === current) upsert(reply);
    answer = replies.find((reply) => reply.conversationRef === current)?.id;
    setStatus(strings["status.sent"]);
    // A typed answer or a button may change answers: forms not being edited show the latest.
    refreshUneditedForms();
    return result;
  } catch (error) {
    showError(error);
    return null;
  } finally {
    if (busyElement) busyElement.disabled = false;
    if (acted) keepFocusOn(busyElement, acted, answer);
  }
}

/**
 * What the server refused, next to each field: the message under its label, the control marked
 * invalid and described by it, and the focus on the first one. A field not named is cleared.
 */
function showFieldErrors(form, fieldErrors) {
  for (const old of form.querySelectorAll(".field-error")) old.remove();
  for (const control of form.querySelectorAll("[aria-invalid]")) {
    control.removeAttribute("aria-invalid");
    const ids = (control.getAttribute("aria-describedby") ?? "").split(" ").filter((id) => !id.endsWith("-error"));
    if (ids.length > 0) control.setAttribute("aria-describedby", ids.join(" "));
    else control.removeAttribute("aria-describedby");
  }
  let first = null;
  for (const [key, text] of Object.entries(fieldErrors)) {
    const controls = [...form.elements].filter((element) => element.name === key);
    const field = controls[0]?.closest(".field");
    if (!field) continue;
    const error = document.createElement("p");
    error.className = "field-error";
    error.id = `${controls[0].id}-error`;
    error.textContent = text;
    const label = field.querySelector(":scope > label, :scope > legend");
    if (label) label.after(error);
    else field.prepend(error);
    for (const control of controls) {
      control.setAttribute("aria-invalid", "true");
      const ids = (control.getAttribute("aria-describedby") ?? "").split(" ").filter(Boolean);
      control.setAttribute("aria-describedby", [...ids, error.id].join(" "));
    }
    first ??= controls.find((control) => control.checked) ?? controls[0];
  }
  first?.focus();
}

/**
 * A disabled button loses the focus, and a message changed in place is a new element: the
 * focus goes back to the button, or else to the message it was in (or, when that is gone, to
 * the answer), never to the page's top.
 */
function keepFocusOn(control, messageId, answerId) {
  const active = document.activeElement;
  if (active && active !== document.body && active.isConnected) return;
  if (control.isConnected && !control.closest("[hidden]")) return control.focus({ preventScroll: true });
  (messageById(messageId) ?? (answerId && messageById(answerId)))?.focus({ preventScroll: true });
}

function messageById(id) {
  return [...messagesElement.querySelectorAll(".msg")].find((element) => element.dataset.id === id);
}

/** The newest message a reader can see: not a reminder out of sight, not inside a folded retro. */
function newestMessage() {
  const shown = [...messagesElement.querySelectorAll(".msg")].filter(
    (message) => !message.hidden && !message.closest("details:not([open])"),
  );
  return shown.at(-1) ?? null;
}

// The skip links move the focus themselves: following the link would replace the conversation in
// the address (its #ref), and an article only takes the focus from script.
for (const link of document.querySelectorAll(".skip-link[data-skip]")) {
  link.addEventListener("click", (event) => {
    event.preventDefault();
    if (link.dataset.skip === "composer" && !composer.hidden) return composerInput.focus();
    const target = newestMessage() ?? messagesElement;
    target.focus();
    target.scrollIntoView({ block: "nearest" });
  });
}

for (const button of conversationButtons) {
  button.addEventListener("click", () => select(button.dataset.ref));
}

messagesElement.addEventListener("click", (event) => {
  const button = event.target.closest(".msg-actions button[data-action-id]");
  if (!button) return;
  const messageId = button.closest(".msg")?.dataset.id;
  const body = { actionId: button.dataset.actionId, value: button.dataset.value };
  post("/web/api/action", messageId ? { ...body, messageId } : body, button);
});

messagesElement.addEventListener("submit", (event) => {
  const form = event.target.closest("form.msg-form");
  if (!form) return;
  event.preventDefault();
  const answers = {};
  for (const [key, value] of new FormData(form)) if (typeof value === "string") answers[key] = value;
  const submit = form.querySelector('button[type="submit"]');
  post("/web/api/form", { actionId: form.dataset.actionId, value: form.dataset.value, answers }, submit).then(
    (result) => {
      if (result && form.isConnected) showFieldErrors(form, result.fieldErrors ?? {});
    },
  );
});

composer.addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = composerInput.value.trim();
  if (text === "") return;
  const sent = await post("/web/api/command", { text }, composer.querySelector('button[type="submit"]'));
  if (sent) composerInput.value = "";
});

function connect() {
  const source = new EventSource("/web/api/events");
  source.addEventListener("web-message", (event) => {
    const item = JSON.parse(event.data);
    if (item.conversationRef === current) upsert(item);
    else markUnread(item.conversationRef);
  });
  source.addEventListener("ready", () => {
    document.body.dataset.live = "true";
    bannerElement.hidden = true;
    if (disconnected) {
      disconnected = false;
      setStatus(strings["status.live"]);
    }
    // Anything changed between loading the conversation and (re)connecting arrives this way.
    if (current) loadMessages(current, { clear: false }).catch(showError);
  });
  source.addEventListener("error", () => {
    document.body.dataset.live = "false";
    disconnected = true;
    bannerElement.hidden = false;
    setStatus(strings["status.reconnecting"]);
    // The browser retries by itself unless the server refused outright.
    if (source.readyState === EventSource.CLOSED) setTimeout(connect, 5000);
  });
}

function requestedRef() {
  try {
    return decodeURIComponent(location.hash.slice(1));
  } catch {
    return "";
  }
}

const requested = requestedRef();
const first = conversations.has(requested) ? requested : data.conversations[0]?.ref;
if (first) select(first);
connect();
