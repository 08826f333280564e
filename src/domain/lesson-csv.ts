// CSV as RFC 4180 writes it: comma-separated, fields with commas, quotes or line breaks
// quoted, quotes doubled. Reading is csv-parse's (src/use-cases/imports/csv-records.ts).
//
// Formula injection (OWASP "CSV Injection"): a spreadsheet runs a cell that starts with
// `=`, `+`, `-`, `@`, a tab or a carriage return. Such a cell is written with a leading `'`
// (which Excel and LibreOffice read as "this is text") and quoted. A cell that already starts
// with quotes before such a character gets one more, so parsing can drop exactly one `'` and
// reading our own export back gives every text as it was written.
import { wellFormed } from "./message.ts";

const FORMULA_START = /^'*[=+\-@\t\r]/;
const GUARDED = /^'+[=+\-@\t\r]/;

export function toCsv(header: string[], rows: string[][]): string {
  const cell = (raw: string) => {
    const formula = FORMULA_START.test(raw);
    const value = formula ? `'${wellFormed(raw)}` : wellFormed(raw);
    return formula || /[",\r\n]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
  };
  return `${[header, ...rows].map((row) => row.map(cell).join(",")).join("\r\n")}\r\n`;
}

/** A cell as written before `toCsv` guarded it against formulas. */
export function unguardCell(cell: string): string {
  return GUARDED.test(cell) ? cell.slice(1) : cell;
}

/** One CSV record and the line (1-based) it starts on. */
export type CsvRecord = { line: number; cells: string[] };
