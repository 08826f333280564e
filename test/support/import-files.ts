// Large import files, generated in a test's temporary folder: lessons in the exchange CSV
// format and projects in the project import format, of a given size in bytes.

import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { toCsv } from "../../src/domain/lesson-csv.ts";
import { IMPORT_COLUMNS } from "../../src/domain/project-import.ts";

const WORDS = (
  "gebruikers bewoners wijkteam sensoren privacy dpia pilot opschalen budget eigenaar lijnorganisatie " +
  "leverancier aanbesteding data dashboard participatie gemeenteraad wethouder verwachting inzicht " +
  "users residents sensors procurement ownership scaling involvement feedback prototype evaluation"
).split(" ");

/** Deterministic words for row `n`: texts differ from row to row and read like sentences. */
export function sentence(n: number, words: number): string {
  const out: string[] = [];
  let seed = (n * 2654435761) >>> 0;
  for (let i = 0; i < words; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    out.push(WORDS[seed % WORDS.length] as string);
  }
  return out.join(" ");
}

/** A CSV of `header` and rows `row(0)`, `row(1)`, … of at most `bytes` bytes; returns the number of rows. */
export async function writeRows(file: string, header: string[], bytes: number, row: (n: number) => string[]) {
  const out = createWriteStream(file);
  const headerLine = toCsv(header, []);
  let written = headerLine.length;
  out.write(headerLine);
  let n = 0;
  for (;;) {
    const line = toCsv(header, [row(n)]).slice(headerLine.length);
    written += Buffer.byteLength(line);
    if (written > bytes) break;
    if (!out.write(line)) await once(out, "drain");
    n++;
  }
  out.end();
  await once(out, "finish");
  return n;
}

export const LESSON_COLUMNS = ["text", "context", "recommendation", "phase", "themes", "visibility"];

/** A lessons CSV of about `bytes` bytes (never more); returns the number of lessons, all distinct. */
export function writeLessonsCsv(file: string, bytes: number, override?: (n: number) => string[] | undefined) {
  return writeRows(
    file,
    LESSON_COLUMNS,
    bytes,
    (n) =>
      override?.(n) ?? [
        `Les ${n}: ${sentence(n, 40)}`,
        sentence(n + 1, 40),
        sentence(n + 2, 25),
        n % 2 === 0 ? "pilot" : "explore",
        n % 3 === 0 ? "user-involvement;scaling" : "",
        "organisation",
      ],
  );
}

/**
 * A project import CSV of about `bytes` bytes: projects of ten people, the first the lead;
 * `override` may change any row (row `n` is on line `n + 2`). Returns the number of rows.
 */
export function writeProjectsCsv(file: string, bytes: number, override?: (n: number, row: string[]) => string[]) {
  return writeRows(file, [...IMPORT_COLUMNS], bytes, (n) => {
    const row = [
      `Project ${Math.floor(n / 10) + 1}`,
      "pilot",
      "",
      `Persoon ${n}`,
      `persoon${n}@gemeente.nl`,
      n % 10 === 0 ? "lead" : "member",
      n % 10 === 0 ? "lead" : "policy",
      "nl",
    ];
    return override ? override(n, row) : row;
  });
}
