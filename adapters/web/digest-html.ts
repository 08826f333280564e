// The digest page and the archive as complete HTML documents. Everything is escaped;
// the page has no script at all.

import type { DigestView, ViewChart } from "../../src/use-cases/digest/digest-view.ts";
import { renderBarChart } from "./digest-charts.ts";
import { pageShell } from "./page-shell.ts";
import { escapeHtml } from "./render-html.ts";

const DIGEST_STYLESHEET = "/digests/digest.css";

export const DIGEST_CSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111;background:#fff;margin:0;line-height:1.5}
main{max-width:52rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.6rem;margin:0 0 .25rem}h2{font-size:1.2rem;margin:2rem 0 .5rem;border-bottom:1px solid #999}
.period,.note{color:#333}.headlines{background:#eef3f8;border-left:4px solid #1d4e89;padding:.75rem 1rem .75rem 2rem}
nav a,a{color:#0b4a8b}nav{display:flex;gap:1rem;flex-wrap:wrap;margin:.5rem 0 1rem}
blockquote{margin:0;font-style:italic}.label{font-weight:600}.item-note{color:#333;font-size:.9rem}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}th,td{border:1px solid #999;padding:.2rem .5rem;text-align:right}
th:first-child,td:first-child{text-align:left}figure{margin:1rem 0}figcaption{font-weight:600}
.chart{overflow-x:auto}.chart svg{min-width:30rem;display:block}
.chart-legend{list-style:none;padding:0;margin:.25rem 0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
.chart-legend svg{vertical-align:-3px}
@media (max-width:40rem){main{padding:1rem}h1{font-size:1.35rem}}
`;

type Words = { markdown: string; pdf: string; archive: string; hidden: string; period: string };

function chartFigure(chart: ViewChart, words: Words): string {
  const header = `<tr><th scope="col">${escapeHtml(words.period)}</th>${chart.series.map((s) => `<th scope="col">${escapeHtml(s.name)}</th>`).join("")}</tr>`;
  const rows = chart.categories
    .map(
      (category, index) =>
        `<tr><th scope="row">${escapeHtml(category)}</th>${chart.series
          .map((series) => {
            const value = series.values[index] ?? null;
            return `<td>${value === null ? escapeHtml(words.hidden) : value}</td>`;
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
}): string {
  const { view, links, words } = input;
  const sections = view.sections
    .map((section) => {
      const chart = section.chart ? chartFigure(section.chart, words) : "";
      const items = section.items
        .map((item) => {
          const label = item.label ? `<span class="label">${escapeHtml(item.label)}</span>: ` : "";
          const text = item.user ? `<blockquote>${escapeHtml(item.text)}</blockquote>` : escapeHtml(item.text);
          const note = item.note ? ` <span class="item-note">— ${escapeHtml(item.note)}</span>` : "";
          return `<li>${label}${text}${note}</li>`;
        })
        .join("");
      return `<section aria-labelledby="s-${section.id}"><h2 id="s-${section.id}">${escapeHtml(section.title)}</h2>${chart}${items ? `<ul>${items}</ul>` : ""}</section>`;
    })
    .join("\n");
  const body = `<header><h1>${escapeHtml(view.title)}</h1><p class="period">${escapeHtml(view.period)}</p>
<nav aria-label="${escapeHtml(words.archive)}"><a href="${escapeHtml(links.markdown)}">${escapeHtml(words.markdown)}</a><a href="${escapeHtml(links.pdf)}">${escapeHtml(words.pdf)}</a><a href="${escapeHtml(links.archive)}">${escapeHtml(words.archive)}</a></nav></header>
<ul class="headlines">${view.headlines.map((headline) => `<li>${escapeHtml(headline)}</li>`).join("")}</ul>
${sections}
<p class="note">${escapeHtml(view.privacyNote)}</p>`;
  return pageShell(view.locale, view.title, `<main>${body}</main>`, DIGEST_STYLESHEET);
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
    `<main><h1>${escapeHtml(input.title)}</h1>${list}</main>`,
    DIGEST_STYLESHEET,
  );
}

export function renderDigestNotice(lang: string, title: string, message: string): string {
  return pageShell(
    lang,
    title,
    `<main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></main>`,
    DIGEST_STYLESHEET,
  );
}
