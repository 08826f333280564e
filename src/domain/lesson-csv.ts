// CSV as RFC 4180 writes it: comma-separated, fields with commas, quotes or line breaks
// quoted, quotes doubled. Parsing reports the line each record starts on.

export function toCsv(header: string[], rows: string[][]): string {
  const cell = (value: string) =>
    /[",\r\n]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
  return `${[header, ...rows].map((row) => row.map(cell).join(",")).join("\r\n")}\r\n`;
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
    cells.push(cell);
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
      cells.push(cell);
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
