// Inline SVG bar charts for the digest page. Accessible: a title and description the
// image is labelled by, a number on every bar, a pattern per series (never colour alone)
// and a legend; "too few" is written where a value is hidden.
import { formatNumber } from "../../src/domain/format-number.ts";
import type { ViewChart } from "../../src/ports/digest-view.ts";
import { escapeHtml } from "./render-html.ts";

// A narrow drawing with large type: on a phone the figure scrolls sideways inside itself
// (min-width in app.css) so labels stay readable, and the legend is HTML, which wraps.
const WIDTH = 560;
const HEIGHT = 240;
const MARGIN = { top: 20, right: 12, bottom: 46, left: 44 };
const FONT = 14;
const PATTERNS = [
  { id: "solid", body: `<rect width="8" height="8" fill="#1d4e89"/>` },
  {
    id: "stripes",
    body: `<rect width="8" height="8" fill="#ffffff"/><path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="#7a2e0e" stroke-width="2"/>`,
  },
  { id: "dots", body: `<rect width="8" height="8" fill="#ffffff"/><circle cx="4" cy="4" r="2" fill="#245b2b"/>` },
  {
    id: "cross",
    body: `<rect width="8" height="8" fill="#ffffff"/><path d="M0,0 L8,8 M8,0 L0,8" stroke="#5b2a86" stroke-width="1.5"/>`,
  },
  {
    id: "lines",
    body: `<rect width="8" height="8" fill="#ffffff"/><path d="M0,4 H8" stroke="#6b4e00" stroke-width="2.5"/>`,
  },
];

/** A bar's number as the reader writes it: "3,8" on a Dutch page. */
export function chartValue(chart: ViewChart, value: number): string {
  return chart.decimals ? formatNumber(value, chart.decimals) : String(value);
}

export function renderBarChart(chart: ViewChart, hiddenLabel: string): string {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const values = chart.series.flatMap((series) => series.values.filter((value): value is number => value !== null));
  const max = Math.max(chart.max ?? 0, ...values, 1);
  const groups = Math.max(chart.categories.length, 1);
  const groupWidth = plotWidth / groups;
  const seriesCount = Math.max(chart.series.length, 1);
  const barWidth = Math.min(48, (groupWidth * 0.8) / seriesCount);
  const titleId = `${chart.id}-title`;
  const descId = `${chart.id}-desc`;
  const defs = PATTERNS.map(
    (pattern) =>
      `<pattern id="${chart.id}-${pattern.id}" width="8" height="8" patternUnits="userSpaceOnUse">${pattern.body}</pattern>`,
  ).join("");
  const parts: string[] = [];
  const baseline = MARGIN.top + plotHeight;
  parts.push(
    `<line x1="${MARGIN.left}" y1="${baseline}" x2="${WIDTH - MARGIN.right}" y2="${baseline}" stroke="#333333"/>`,
  );
  parts.push(`<text x="4" y="${MARGIN.top + 4}" font-size="${FONT}" fill="#333333">${escapeHtml(String(max))}</text>`);
  chart.categories.forEach((category, groupIndex) => {
    const groupX = MARGIN.left + groupIndex * groupWidth + (groupWidth - barWidth * seriesCount) / 2;
    // A period hidden for every series says so once, not once per bar on top of each other.
    if (seriesCount > 1 && chart.series.every((series) => (series.values[groupIndex] ?? null) === null)) {
      parts.push(
        `<text x="${groupX + (barWidth * seriesCount) / 2}" y="${baseline - 6}" font-size="${FONT - 2}" text-anchor="middle" fill="#333333">${escapeHtml(hiddenLabel)}</text>`,
        categoryLabel(category, MARGIN.left + groupIndex * groupWidth + groupWidth / 2, baseline + 20),
      );
      return;
    }
    chart.series.forEach((series, seriesIndex) => {
      const value = series.values[groupIndex] ?? null;
      const x = groupX + seriesIndex * barWidth;
      const pattern = PATTERNS[seriesIndex % PATTERNS.length]?.id ?? "solid";
      if (value === null) {
        parts.push(
          `<text x="${x + barWidth / 2}" y="${baseline - 6}" font-size="${FONT - 2}" text-anchor="middle" fill="#333333">${escapeHtml(hiddenLabel)}</text>`,
        );
        return;
      }
      const height = Math.round((value / max) * plotHeight);
      parts.push(
        `<rect x="${x + 1}" y="${baseline - height}" width="${Math.max(barWidth - 2, 1)}" height="${height}" fill="url(#${chart.id}-${pattern})" stroke="#333333" stroke-width="0.5"><title>${escapeHtml(`${series.name}, ${category}: ${chartValue(chart, value)}`)}</title></rect>`,
        `<text x="${x + barWidth / 2}" y="${baseline - height - 4}" font-size="${FONT - 1}" text-anchor="middle" fill="#111111">${escapeHtml(chartValue(chart, value))}</text>`,
      );
    });
    parts.push(categoryLabel(category, MARGIN.left + groupIndex * groupWidth + groupWidth / 2, baseline + 20));
  });
  const legend = chart.series
    .map((series, index) => {
      const pattern = PATTERNS[index % PATTERNS.length] ?? PATTERNS[0];
      const id = `${chart.id}-key-${index}`;
      return `<li><svg width="16" height="16" aria-hidden="true" xmlns="http://www.w3.org/2000/svg"><defs><pattern id="${id}" width="8" height="8" patternUnits="userSpaceOnUse">${pattern?.body ?? ""}</pattern></defs><rect x="1" y="1" width="14" height="14" fill="url(#${id})" stroke="#333333"/></svg> ${escapeHtml(series.name)}</li>`;
    })
    .join("");
  const svg = [
    `<svg role="img" aria-labelledby="${titleId} ${descId}" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" xmlns="http://www.w3.org/2000/svg">`,
    `<title id="${titleId}">${escapeHtml(chart.title)}</title>`,
    `<desc id="${descId}">${escapeHtml(chart.description)}</desc>`,
    `<defs>${defs}</defs>`,
    ...parts,
    "</svg>",
  ].join("");
  // On a phone the drawing scrolls sideways inside its frame: focusable, so a keyboard can scroll it too.
  return `<div class="chart" tabindex="0" role="group" aria-labelledby="${titleId}">${svg}</div><ul class="chart-legend">${legend}</ul>`;
}

/** A date label ("16 Nov 2026") puts its year on a second line, so neighbouring labels never touch. */
function categoryLabel(category: string, x: number, y: number): string {
  const year = /^(.*\S)\s+(\d{4})$/.exec(category);
  const lines = year ? [year[1] ?? "", year[2] ?? ""] : [category];
  const spans = lines
    .map((line, index) => `<tspan x="${x}" dy="${index === 0 ? 0 : FONT + 2}">${escapeHtml(line)}</tspan>`)
    .join("");
  return `<text x="${x}" y="${y}" font-size="${FONT - 1}" text-anchor="middle" fill="#333333">${spans}</text>`;
}
