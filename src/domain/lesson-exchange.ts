// The lesson exchange format: the columns an export (CSV, JSON) carries and an import reads.
// Exports never carry who wrote an answer.
import { toCsv } from "./lesson-csv.ts";
import type { FeedLesson } from "./lesson-feed.ts";

export const EXPORT_FORMATS = ["csv", "json", "md"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The exchange columns, in CSV order; JSON uses the same names. */
export const EXCHANGE_FIELDS = [
  "text",
  "context",
  "recommendation",
  "project",
  "phase",
  "themes",
  "disciplines",
  "visibility",
  "publisher",
  "licence",
  "contact",
  "appliedIn",
  "usefulCount",
  "notUsefulCount",
  "createdAt",
] as const;
export const LIST_SEPARATOR = ";";

/** The lesson fields a feed carries too (src/domain/lesson-feed.ts), and what only files carry. */
export type ExchangeLesson = Omit<FeedLesson, "id" | "licence" | "createdAt" | "updatedAt"> & {
  visibility: string;
  licence: string | null;
  appliedIn: string[];
  usefulCount: number;
  notUsefulCount: number;
  createdAt: string;
};

/** One row per lesson under the exchange columns; lists joined by LIST_SEPARATOR, nothing as "". */
export function exchangeCsv(rows: ExchangeLesson[]): string {
  return toCsv(
    [...EXCHANGE_FIELDS],
    rows.map((row) =>
      EXCHANGE_FIELDS.map((field) => {
        const value = row[field];
        return Array.isArray(value) ? value.join(LIST_SEPARATOR) : value === null ? "" : String(value);
      }),
    ),
  );
}
