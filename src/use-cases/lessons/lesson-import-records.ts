// The records of a lessons file, CSV or JSON, as plain objects by column name, read as the
// bytes arrive. A record that cannot become a lesson, or a broken file, is an issue.

import { EXCHANGE_FIELDS } from "../../domain/lesson-exchange.ts";
import { CsvSyntaxError, csvRecords } from "../imports/csv-records.ts";
import { type ImportSource, limitedBytes, peekFirst } from "../imports/import-source.ts";
import { JsonSyntaxError, jsonRecords } from "../imports/json-records.ts";

export type ImportIssue = { line: number; field: string; message: string };
export type LessonRecord = { line: number; data: Record<string, unknown> } | { line: number; issue: ImportIssue };

const CSV_SYNTAX: Record<CsvSyntaxError["reason"], string> = {
  "quote-not-closed": "a quoted field is not closed",
  "record-too-long": "a record is longer than 1 MB: is a quoted field not closed?",
  invalid: "not valid CSV: a quoted field must end at a comma or the end of the line",
};
const JSON_SYNTAX: Record<JsonSyntaxError["reason"], string> = {
  invalid: "not valid JSON",
  "not-an-array": "expected a JSON array of lessons",
};

/** Every record of the file, then (for a broken file) one issue naming where it broke. */
export async function* lessonRecords(source: ImportSource, maxBytes: number): AsyncGenerator<LessonRecord> {
  const { first, all } = await peekFirst(limitedBytes(source, maxBytes));
  const opening = first ? new TextDecoder().decode(first.subarray(0, 16)).replace(/^\uFEFF/, "") : "";
  const isJson = /\.json$/i.test(source.name) || /^\s*[[{]/.test(opening);
  try {
    yield* isJson ? fromJson(all) : fromCsv(all);
  } catch (error) {
    if (error instanceof CsvSyntaxError) yield fileIssue(error.line, CSV_SYNTAX[error.reason]);
    else if (error instanceof JsonSyntaxError) yield fileIssue(error.line, JSON_SYNTAX[error.reason]);
    else throw error;
  }
}

const fileIssue = (line: number, message: string): LessonRecord => ({
  line,
  issue: { line, field: "(file)", message },
});

async function* fromJson(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<LessonRecord> {
  for await (const { line, value } of jsonRecords(chunks)) {
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      yield { line, issue: { line, field: "(record)", message: "expected an object" } };
    } else yield { line, data: value as Record<string, unknown> };
  }
}

async function* fromCsv(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<LessonRecord> {
  let columns: string[] | undefined;
  for await (const { line, cells } of csvRecords(chunks)) {
    if (!columns) {
      columns = cells.map((cell) => cell.trim());
      const problem = headerProblem(columns);
      if (problem) {
        yield { line, issue: { line, ...problem } };
        return;
      }
      continue;
    }
    if (cells.length !== columns.length) {
      const message = `${cells.length} fields, the header has ${columns.length}`;
      yield { line, issue: { line, field: "(record)", message } };
      continue;
    }
    const names = columns;
    yield { line, data: Object.fromEntries(names.map((column, index) => [column, cells[index]])) };
  }
  if (!columns) yield fileIssue(1, "the file is empty");
}

function headerProblem(columns: string[]): { field: string; message: string } | undefined {
  const unknown = columns.find((column) => !(EXCHANGE_FIELDS as readonly string[]).includes(column));
  if (unknown !== undefined) return { field: unknown || "(empty)", message: "unknown column" };
  for (const required of ["text", "phase"]) {
    if (!columns.includes(required)) return { field: required, message: "column missing" };
  }
  return undefined;
}
