// The digest as a PDF (pdfkit, pure JavaScript, the standard Helvetica fonts): the
// headlines, every section, and the charts as labelled bars with their numbers.
import PDFDocument from "pdfkit";
import { formatNumber } from "../domain/format-number.ts";
import { wellFormed } from "../domain/message.ts";
import type { DigestView, ViewChart } from "../ports/digest-view.ts";

const MARGIN = 50;
const PATTERN_GREYS = ["#1d4e89", "#7a2e0e", "#245b2b", "#5b2a86", "#6b4e00"];

function drawChart(doc: PDFKit.PDFDocument, chart: ViewChart, hidden: string): void {
  doc.font("Helvetica-Bold").fontSize(10).text(chart.title);
  doc.font("Helvetica").fontSize(8).fillColor("#333333").text(chart.description).fillColor("#000000");
  doc.moveDown(0.3);
  const values = chart.series.flatMap((series) => series.values.filter((value): value is number => value !== null));
  const max = Math.max(chart.max ?? 0, ...values, 1);
  const barArea = doc.page.width - MARGIN * 2 - 150;
  chart.categories.forEach((category, index) => {
    chart.series.forEach((series, seriesIndex) => {
      if (doc.y > doc.page.height - MARGIN - 20) doc.addPage();
      const y = doc.y;
      const value = series.values[index] ?? null;
      const label = chart.series.length > 1 ? `${category} · ${series.name}` : category;
      doc.font("Helvetica").fontSize(8).text(label, MARGIN, y, { width: 140, lineBreak: false });
      if (value === null) {
        doc.text(hidden, MARGIN + 150, y, { lineBreak: false });
      } else {
        const width = Math.max(1, (value / max) * (barArea - 40));
        doc
          .rect(MARGIN + 150, y, width, 8)
          .fill(PATTERN_GREYS[seriesIndex % PATTERN_GREYS.length] ?? "#000000")
          .fillColor("#000000");
        doc.text(chart.decimals ? formatNumber(value, chart.decimals) : String(value), MARGIN + 154 + width, y, {
          lineBreak: false,
        });
      }
      doc.x = MARGIN;
      doc.y = y + 11;
    });
  });
  doc.moveDown(0.5);
}

/**
 * Every string of the view as the standard fonts can show it: a lone surrogate becomes U+FFFD,
 * a tab or carriage return a space (pdfkit would swallow the character after a tab). Text is
 * only ever drawn with `text()` and no `link` option, so nothing a person wrote becomes a link.
 */
function printable(view: DigestView): DigestView {
  return JSON.parse(
    JSON.stringify(view, (_key, value) =>
      typeof value === "string" ? wellFormed(value).replace(/[\t\r\v\f]/g, " ") : value,
    ),
  ) as DigestView;
}

/** Renders the view; resolves with the whole file. */
export function digestPdf(original: DigestView, hidden: string): Promise<Buffer> {
  const view = printable(original);
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: "A4",
      margin: MARGIN,
      info: { Title: view.title, Subject: view.period, Creator: "Leerlus" },
      lang: view.locale,
      displayTitle: true,
    });
    const chunks: Buffer[] = [];
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    doc.font("Helvetica-Bold").fontSize(18).text(view.title);
    doc.font("Helvetica").fontSize(10).text(view.period).moveDown();
    for (const headline of view.headlines) doc.fontSize(11).text(`• ${headline}`);
    for (const section of view.sections) {
      doc.moveDown().font("Helvetica-Bold").fontSize(13).text(section.title).moveDown(0.3);
      if (section.chart) drawChart(doc, section.chart, hidden);
      for (const item of section.items) {
        doc.font("Helvetica").fontSize(10);
        const label = item.label ? `${item.label}: ` : "";
        const text = item.user ? `“${item.text}”` : item.text;
        doc.text(`• ${label}${text}`, { continued: Boolean(item.note) });
        if (item.note) doc.fillColor("#333333").text(` — ${item.note}`).fillColor("#000000");
      }
    }
    doc.moveDown().font("Helvetica-Oblique").fontSize(9).text(view.privacyNote);
    doc.end();
  });
}
