// CSV as RFC 4180 writes it: comma-separated, fields with commas, quotes or line breaks
// quoted, quotes doubled. Parsing reports the line each record starts on.
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

export type CsvRecord = { line: number; cells: string[] };

export class CsvSyntaxError extends Error {
  constructor(readonly line: number) {
    super(`CSV_SYNTAX: line ${line}: a quoted field is not closed`);
  }
}

/** Records with the line (1-based) each starts on; blank lines are skipped. */
export function parseCsv(text: string): CsvRecord[] {
  const input = text.replace(/^\uFEFF/, "");
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = "";
  let quoted = false;
  let line = 1;
  let start = 1;
  let touched = false;
  const endRecord = () => {
    cells.push(unguardCell(cell));
    if (touched || cells.length > 1 || cell !== "") records.push({ line: start, cells });
    cells = [];
    cell = "";
    touched = false;
  };
  for (let index = 0; index < input.length; index++) {
    const char = input[index] as string;
    if (quoted) {
      if (char === '"' && input[index + 1] === '"') {
        cell += '"';
        index++;
      } else if (char === '"') {
        quoted = false;
      } else {
        if (char === "\n") line++;
        cell += char;
      }
      continue;
    }
    if (char === '"') {
      quoted = true;
      touched = true;
    } else if (char === ",") {
      cells.push(unguardCell(cell));
      cell = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && input[index + 1] === "\n") index++;
      endRecord();
      line++;
      start = line;
    } else {
      cell += char;
    }
  }
  if (quoted) throw new CsvSyntaxError(start);
  if (cell !== "" || cells.length > 0 || touched) endRecord();
  return records;
}
