// CSV records read as the bytes arrive, with csv-parse (RFC 4180: quoted fields may hold
// commas, quotes and line breaks), each with the line it starts on.
import { type CsvError, parse } from "csv-parse";
import { MAX_RECORD_CHARACTERS } from "../../domain/import-limits.ts";
import { type CsvRecord, unguardCell } from "../../domain/lesson-csv.ts";

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly reason: "quote-not-closed" | "record-too-long" | "invalid",
  ) {
    super(`CSV_SYNTAX: line ${line}: ${reason}`);
  }
}

const BREAKS = /\r\n|\r|\n/g;
const BREAK_CHARACTERS = /\r|\n/g;
const count = (text: string, pattern: RegExp) => text.match(pattern)?.length ?? 0;

/**
 * The records of a CSV (blank lines skipped, a leading byte-order mark dropped, cells as
 * written before the export guarded them against formulas), each with the 1-based line it
 * starts on. A broken file ends the records with {@link CsvSyntaxError}, after every record
 * before the break.
 */
export async function* csvRecords(
  chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
): AsyncGenerator<CsvRecord> {
  let ready: CsvRecord[] = [];
  // csv-parse counts a line break inside a quoted field by its characters (CRLF as two lines)
  // and outside by record delimiters (CRLF as one), so its count drifts after a quoted CRLF.
  let drift = 0;
  let lastLine = 0;
  const parser = parse({
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    record_delimiter: ["\r\n", "\n", "\r"],
    max_record_size: MAX_RECORD_CHARACTERS,
    // Records are taken here, as each is parsed, rather than from the stream's readable side:
    // an error would discard the records the stream still buffers, and with them their lines.
    on_record: (record: string[], context) => {
      let inside = 0;
      for (const cell of record) {
        inside += count(cell, BREAKS);
        drift += count(cell, BREAK_CHARACTERS) - count(cell, BREAKS);
      }
      lastLine = context.lines - drift;
      ready.push({ line: lastLine - inside, cells: record.map(unguardCell) });
      return null;
    },
  });
  let failure: unknown;
  parser.on("error", (error) => {
    failure ??= error;
  });
  const step = (write: (done: (error?: Error | null) => void) => void) =>
    new Promise<void>((resolve) =>
      write((error) => {
        failure ??= error ?? undefined;
        resolve();
      }),
    );
  try {
    for await (const chunk of chunks) {
      await step((done) => parser.write(chunk, done));
      const parsed = ready;
      ready = [];
      yield* parsed;
      if (failure) throw toSyntaxError(failure, lastLine, drift);
    }
    await step((done) => parser.end(done));
    yield* ready;
    if (failure) throw toSyntaxError(failure, lastLine, drift);
  } finally {
    parser.destroy();
  }
}

function toSyntaxError(error: unknown, lastLine: number, drift: number): unknown {
  const code = (error as Partial<CsvError>)?.code;
  if (typeof code !== "string" || !code.startsWith("CSV_")) return error;
  const line = lastLine + 1;
  if (code === "CSV_QUOTE_NOT_CLOSED") return new CsvSyntaxError(line, "quote-not-closed");
  if (code === "CSV_MAX_RECORD_SIZE") return new CsvSyntaxError(line, "record-too-long");
  const at = (error as { lines?: number }).lines;
  return new CsvSyntaxError(at === undefined ? line : Math.max(line, at - drift), "invalid");
}
