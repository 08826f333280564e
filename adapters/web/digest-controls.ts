// The adviser's controls on the digest page: plain HTML forms (the page has no script). Each
// form posts to the digest's own address with the same signed token, carries a key of its own
// (so a double click acts once) and is refused cross-site by the app's same-origin check.
import { randomUUID } from "node:crypto";
import type { ViewAction, ViewItem } from "../../src/ports/digest-view.ts";
import { escapeHtml } from "./render-html.ts";

export type ControlWords = Record<
  | "summary"
  | "projects"
  | "date"
  | "plan"
  | "given"
  | "dismiss"
  | "given-on"
  | "mark-given"
  | "add-title"
  | "add-intro"
  | "theme"
  | "kind"
  | "name"
  | "description"
  | "add"
  | "own"
  | "informal"
  | "formal",
  string
>;

export type DigestControls = {
  /** Where the forms post, with the link's token: `/digests/<id>`, `?token=…`. */
  base: string;
  query: string;
  projects: { id: string; name: string }[];
  themes: { id: string; label: string }[];
  own: { title: string; theme: string; kind: string }[];
  today: string;
  words: ControlWords;
};

const e = escapeHtml;
const hiddenKey = () => `<input type="hidden" name="key" value="${randomUUID()}">`;

function projectChoices(controls: DigestControls, prefix: string): string {
  if (controls.projects.length === 0) return "";
  const items = controls.projects
    .map(
      (project, index) =>
        `<li><input type="checkbox" id="${prefix}-p${index}" name="projects" value="${e(project.id)}"><label for="${prefix}-p${index}">${e(project.name)}</label></li>`,
    )
    .join("");
  return `<fieldset><legend>${e(controls.words.projects)}</legend><ul class="choices">${items}</ul></fieldset>`;
}

/** The forms under one item, by what the item allows. */
export function itemControls(item: ViewItem & { act?: ViewAction }, controls: DigestControls, index: number): string {
  const act = item.act;
  if (!act) return "";
  const w = controls.words;
  const prefix = `c${index}`;
  if (act.kind === "planned") {
    const action = `${controls.base}/interventions/${encodeURIComponent(act.markId)}/given${controls.query}`;
    return `<form method="post" action="${e(action)}" class="digest-form inline-form">${hiddenKey()}
<label for="${prefix}-date">${e(w["given-on"])}</label> <input type="date" id="${prefix}-date" name="date" value="${e(controls.today)}" required max="${e(controls.today)}">
<button type="submit">${e(w["mark-given"])}<span class="visually-hidden">: ${e(item.label ?? "")}</span></button></form>`;
  }
  const action = `${controls.base}/interventions${controls.query}`;
  const fields = `<input type="hidden" name="intervention" value="${e(act.interventionId)}"><input type="hidden" name="theme" value="${e(act.themeId)}">`;
  return `<details class="digest-controls"><summary>${e(w.summary)}<span class="visually-hidden">: ${e(item.text)}</span></summary>
<form method="post" action="${e(action)}" class="digest-form">${hiddenKey()}${fields}
${projectChoices(controls, prefix)}
<p><label for="${prefix}-date">${e(w.date)}</label> <input type="date" id="${prefix}-date" name="date" value="${e(controls.today)}" required></p>
<p class="buttons"><button type="submit" name="status" value="planned">${e(w.plan)}</button> <button type="submit" name="status" value="given">${e(w.given)}</button></p>
</form>
<form method="post" action="${e(action)}" class="digest-form">${hiddenKey()}${fields}
<p class="buttons"><button type="submit" name="status" value="dismissed" class="secondary">${e(w.dismiss)}</button></p>
</form></details>`;
}

/** The organisation's own interventions and the form to add one. */
export function ownInterventions(controls: DigestControls): string {
  const w = controls.words;
  const labels = new Map(controls.themes.map((theme) => [theme.id, theme.label]));
  const list =
    controls.own.length > 0
      ? `<h3>${e(w.own)}</h3><ul>${controls.own
          .map(
            (item) =>
              `<li><span class="label">${e(item.title)}</span> — ${e(labels.get(item.theme) ?? item.theme)} · ${e(item.kind === "formal" ? w.formal : w.informal)}</li>`,
          )
          .join("")}</ul>`
      : "";
  const themes = controls.themes.map((theme) => `<option value="${e(theme.id)}">${e(theme.label)}</option>`).join("");
  const kinds = (["informal", "formal"] as const)
    .map(
      (kind, index) =>
        `<li><input type="radio" id="own-kind-${kind}" name="kind" value="${kind}"${index === 0 ? " checked" : ""}><label for="own-kind-${kind}">${e(w[kind])}</label></li>`,
    )
    .join("");
  return `<section aria-labelledby="s-own"><h2 id="s-own">${e(w["add-title"])}</h2><p>${e(w["add-intro"])}</p>${list}
<form method="post" action="${e(`${controls.base}/catalogue${controls.query}`)}" class="digest-form">${hiddenKey()}
<p><label for="own-theme">${e(w.theme)}</label> <select id="own-theme" name="theme" required>${themes}</select></p>
<fieldset><legend>${e(w.kind)}</legend><ul class="choices">${kinds}</ul></fieldset>
<p><label for="own-title">${e(w.name)}</label><input id="own-title" name="title" maxlength="200" required></p>
<p><label for="own-description">${e(w.description)}</label><textarea id="own-description" name="description" rows="3" maxlength="2000" required></textarea></p>
<p class="buttons"><button type="submit">${e(w.add)}</button></p>
</form></section>`;
}
