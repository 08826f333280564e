import { wellFormed } from "../../domain/message.ts";
import type { DigestView, ViewChart } from "../../ports/digest-view.ts";

/**
 * Text people wrote can't turn into links, autolinks, emphasis, headings, lists, tables or
 * HTML in a Markdown export: Markdown's syntax characters are backslash-escaped (CommonMark
 * shows each as itself), and so are the `:` of `http://` and the `.` of `www.`, which GFM
 * would otherwise autolink; line breaks become spaces.
 */
export function escapeMarkdown(text: string): string {
  return wellFormed(text)
    .replace(/[\\`*_{}[\]()<>#+\-!|~&@]/g, "\\$&")
    .replace(/(?<=[A-Za-z]):(?=\/)/g, "\\:")
    .replace(/\b(www)\./gi, "$1\\.")
    .replace(/[\t\r\n]+/g, " ");
}

function chartTable(chart: ViewChart, hidden: string): string[] {
  const header = `| ${escapeMarkdown(chart.unit)} | ${chart.categories.map(escapeMarkdown).join(" | ")} |`;
  const rule = `|---|${chart.categories.map(() => "---:").join("|")}|`;
  const rows = chart.series.map(
    (series) =>
      `| ${escapeMarkdown(series.name)} | ${series.values.map((value) => (value === null ? hidden : String(value))).join(" | ")} |`,
  );
  return [`*${escapeMarkdown(chart.title)}*`, "", header, rule, ...rows, ""];
}

/** The digest as a Markdown document; charts become tables. */
export function digestMarkdown(view: DigestView, hidden: string): string {
  const lines = [`# ${escapeMarkdown(view.title)}`, "", view.period, ""];
  lines.push(...view.headlines.map((headline) => `- ${headline}`), "");
  for (const section of view.sections) {
    lines.push(`## ${section.title}`, "");
    if (section.chart) lines.push(...chartTable(section.chart, hidden));
    for (const item of section.items) {
      const text = item.user ? `“${escapeMarkdown(item.text)}”` : escapeMarkdown(item.text);
      const label = item.label ? `**${escapeMarkdown(item.label)}**: ` : "";
      const note = item.note ? ` — ${escapeMarkdown(item.note)}` : "";
      lines.push(`- ${label}${text}${note}`);
    }
    if (section.items.length > 0) lines.push("");
  }
  lines.push(`_${view.privacyNote}_`, "");
  return lines.join("\n");
}
