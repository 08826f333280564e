// Just enough of a PDF reader for tests: checks the header and trailer, inflates the
// content streams and collects the text shown with Tj/TJ (pdfkit writes hex strings).
import { inflateSync } from "node:zlib";

export function pdfText(pdf: Buffer): { version: string; pages: number; text: string } {
  const header = pdf.subarray(0, 8).toString("latin1");
  const version = /^%PDF-(\d\.\d)/.exec(header)?.[1];
  if (!version) throw new Error("not a PDF: no %PDF- header");
  if (!pdf.subarray(-32).toString("latin1").includes("%%EOF")) throw new Error("PDF without %%EOF");
  const raw = pdf.toString("latin1");
  const pages = (raw.match(/\/Type \/Page\b/g) ?? []).length;
  const lines: string[] = [];
  const streams = /stream\r?\n/g;
  for (let match = streams.exec(raw); match; match = streams.exec(raw)) {
    const start = match.index + match[0].length;
    const end = raw.indexOf("endstream", start);
    if (end < 0) break;
    let body: string;
    try {
      body = inflateSync(pdf.subarray(start, end)).toString("latin1");
    } catch {
      body = raw.slice(start, end);
    }
    for (const op of body.matchAll(/\[([^\]]*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g)) {
      const chunks =
        op[1] !== undefined ? [...op[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((m) => m[1] ?? "") : [op[2] ?? ""];
      lines.push(chunks.map((hex) => Buffer.from(hex, "hex").toString("latin1")).join(""));
    }
    // Past the whole keyword: "endstream" ends in "stream" too, which would swallow the next page.
    streams.lastIndex = end + "endstream".length;
  }
  return { version, pages, text: lines.join("\n") };
}
