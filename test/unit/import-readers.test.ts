// The streaming readers of import files: records with the line each starts on, whatever
// way the file is cut into chunks.
import { describe, expect, it } from "vitest";
import { csvRecords } from "../../src/use-cases/imports/csv-records.ts";
import { jsonRecords } from "../../src/use-cases/imports/json-records.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

/** The bytes of `text` cut into chunks of `size` bytes, through multi-byte characters too. */
async function* chunked(text: string, size: number) {
  const all = bytes(text);
  for (let at = 0; at < all.length; at += size) yield all.subarray(at, at + size);
}

async function collect<T>(records: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const record of records) out.push(record);
  return out;
}

describe("reading import files as they arrive", () => {
  const json = '[\n  {"text": "Geïnterviewd"},\n  {\n    "text": "Één\\nles"\n  },\n  3\n]\n';

  it.each([1, 2, 3, 7, 1000])("JSON in chunks of %i bytes: each element with the line it starts on", async (size) => {
    expect(await collect(jsonRecords(chunked(json, size)))).toEqual([
      { line: 2, value: { text: "Geïnterviewd" } },
      { line: 3, value: { text: "Één\nles" } },
      { line: 6, value: 3 },
    ]);
  });

  it("JSON that is not an array, is broken or is cut short names the line", async () => {
    await expect(collect(jsonRecords(chunked('{"text": "x"}', 4)))).rejects.toMatchObject({
      line: 1,
      reason: "not-an-array",
    });
    await expect(collect(jsonRecords(chunked('[\n{"a": 1},\n{"a": }\n]', 5)))).rejects.toMatchObject({
      line: 3,
      reason: "invalid",
    });
    await expect(collect(jsonRecords(chunked('[\n{"a": 1},\n{"a":', 5)))).rejects.toMatchObject({ reason: "invalid" });
    await expect(collect(jsonRecords(chunked("", 5)))).rejects.toMatchObject({ line: 1, reason: "not-an-array" });
  });

  const csv = '\uFEFFtext,context\r\n"Één, twee","drie\r\nvier"\r\n\r\nGeïnterviewd,"zeg ""ja"""\n';

  it.each([1, 2, 5, 1000])("CSV in chunks of %i bytes: cells whole, lines right after a quoted CRLF", async (size) => {
    expect(await collect(csvRecords(chunked(csv, size)))).toEqual([
      { line: 1, cells: ["text", "context"] },
      { line: 2, cells: ["Één, twee", "drie\r\nvier"] },
      { line: 5, cells: ["Geïnterviewd", 'zeg "ja"'] },
    ]);
  });

  it("a CSV quote that is never closed names the line it opens on, after the records before it", async () => {
    const records: unknown[] = [];
    const reading = (async () => {
      for await (const record of csvRecords(chunked('a,b\nc,d\n"open,e\nf,g\n', 3))) records.push(record);
    })();
    await expect(reading).rejects.toMatchObject({ line: 3, reason: "quote-not-closed" });
    expect(records).toHaveLength(2);
  });
});
