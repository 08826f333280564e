// The digest page and the archive as complete HTML documents. Everything is escaped;
// the page has no script at all. Its look comes from the web chat's one stylesheet (.digest).

import type { DigestView, ViewChart } from "../../src/ports/digest-view.ts";
import { chartValue, renderBarChart } from "./digest-charts.ts";
import { type DigestControls, itemControls, ownInterventions } from "./digest-controls.ts";
import { pageShell } from "./page-shell.ts";
import { escapeHtml } from "./render-html.ts";

const DIGEST_STYLESHEET = "/digests/digest.css";

type Words = { markdown: string; pdf: string; archive: string; hidden: string; period: string };

function chartFigure(chart: ViewChart, words: Words): string {
  const header = `<tr><th scope="col">${escapeHtml(words.period)}</th>${chart.series.map((s) => `<th scope="col">${escapeHtml(s.name)}</th>`).join("")}</tr>`;
  const rows = chart.categories
    .map(
      (category, index) =>
        `<tr><th scope="row">${escapeHtml(category)}</th>${chart.series
          .map((series) => {
            const value = series.values[index] ?? null;
            return `<td>${value === null ? escapeHtml(words.hidden) : escapeHtml(chartValue(chart, value))}</td>`;
          })
          .join("")}</tr>`,
    )
    .join("");
  return `<figure><figcaption>${escapeHtml(chart.title)}</figcaption>${renderBarChart(chart, words.hidden)}
<details><summary>${escapeHtml(chart.unit)}</summary><table>${header}${rows}</table></details></figure>`;
}

export function renderDigestPage(input: {
  view: DigestView;
  links: { markdown: string; pdf: string; archive: string };
  words: Words;
  /** The adviser's forms; absent in exports and for readers who may not mark anything. */
  controls?: DigestControls;
  /** What the last form did, said once at the top. */
  flash?: string;
}): string {
  const { view, links, words, controls } = input;
  let formIndex = 0;
  const sections = view.sections
    .map((section) => {
      const chart = section.chart ? chartFigure(section.chart, words) : "";
      const items = section.items
        .map((item) => {
          const label = item.label ? `<span class="label">${escapeHtml(item.label)}</span>: ` : "";
          const text = item.user ? `<blockquote>${escapeHtml(item.text)}</blockquote>` : escapeHtml(item.text);
          const note = item.note ? ` <span class="item-note">— ${escapeHtml(item.note)}</span>` : "";
          const forms = controls ? itemControls(item, controls, formIndex++) : "";
          return `<li>${label}${text}${note}${forms}</li>`;
        })
        .join("");
      return `<section aria-labelledby="s-${section.id}"><h2 id="s-${section.id}">${escapeHtml(section.title)}</h2>${chart}${items ? `<ul>${items}</ul>` : ""}</section>`;
    })
    .join("\n");
  const body = `<header><h1>${escapeHtml(view.title)}</h1><p class="period">${escapeHtml(view.period)}</p>
<nav aria-label="${escapeHtml(words.archive)}"><a href="${escapeHtml(links.markdown)}">${escapeHtml(words.markdown)}</a><a href="${escapeHtml(links.pdf)}">${escapeHtml(words.pdf)}</a><a href="${escapeHtml(links.archive)}">${escapeHtml(words.archive)}</a></nav></header>
${input.flash ? `<p class="flash" role="status">${escapeHtml(input.flash)}</p>` : ""}
<ul class="headlines">${view.headlines.map((headline) => `<li>${escapeHtml(headline)}</li>`).join("")}</ul>
${sections}
${controls ? ownInterventions(controls) : ""}
<p class="note">${escapeHtml(view.privacyNote)}</p>`;
  return pageShell(view.locale, view.title, `<main class="digest">${body}</main>`, DIGEST_STYLESHEET);
}

export function renderArchivePage(input: {
  lang: string;
  title: string;
  empty: string;
  items: { href: string; label: string }[];
}): string {
  const list =
    input.items.length > 0
      ? `<ul>${input.items.map((item) => `<li><a href="${escapeHtml(item.href)}">${escapeHtml(item.label)}</a></li>`).join("")}</ul>`
      : `<p>${escapeHtml(input.empty)}</p>`;
  return pageShell(
    input.lang,
    input.title,
    `<main class="digest"><h1>${escapeHtml(input.title)}</h1>${list}</main>`,
    DIGEST_STYLESHEET,
  );
}

export function renderDigestNotice(
  lang: string,
  title: string,
  message: string,
  back?: { href: string; label: string },
): string {
  const link = back ? `<p><a href="${escapeHtml(back.href)}">${escapeHtml(back.label)}</a></p>` : "";
  return pageShell(
    lang,
    title,
    `<main class="digest"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>${link}</main>`,
    DIGEST_STYLESHEET,
  );
}
