// The elements of a JSON array read as the bytes arrive (@streamparser/json), each with the
// line it starts on, so a 50 MB file is never one string or one parsed array in memory.
import { Tokenizer, TokenParser, TokenType } from "@streamparser/json";

export class JsonSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly reason: "invalid" | "not-an-array",
  ) {
    super(`JSON_SYNTAX: line ${line}: ${reason}`);
  }
}

export type JsonRecord = { line: number; value: unknown };

const NEWLINE = 0x0a;
const OPENERS = new Set([TokenType.LEFT_BRACE, TokenType.LEFT_BRACKET]);
const CLOSERS = new Set([TokenType.RIGHT_BRACE, TokenType.RIGHT_BRACKET]);

/** The elements of the top-level array; a file that is not one ends them with {@link JsonSyntaxError}. */
export async function* jsonRecords(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<JsonRecord> {
  let line = 1;
  let depth = 0;
  let started = false;
  let awaitingElement = false;
  const starts: number[] = [];
  let ready: JsonRecord[] = [];
  const tokenizer = new Tokenizer();
  const parser = new TokenParser({ paths: ["$.*"], keepStack: false });
  tokenizer.onToken = (info) => {
    const { token } = info;
    if (!started) {
      started = true;
      if (token !== TokenType.LEFT_BRACKET) throw new JsonSyntaxError(line, "not-an-array");
    }
    if (depth === 1 && awaitingElement && token !== TokenType.COMMA && token !== TokenType.RIGHT_BRACKET) {
      starts.push(line);
      awaitingElement = false;
    }
    if (OPENERS.has(token)) {
      depth++;
      if (depth === 1) awaitingElement = true;
    } else if (CLOSERS.has(token)) depth--;
    else if (token === TokenType.COMMA && depth === 1) awaitingElement = true;
    parser.write(info);
  };
  parser.onValue = ({ value }) => {
    ready.push({ line: starts.shift() ?? line, value });
  };
  const write = (bytes: Uint8Array) => {
    try {
      tokenizer.write(bytes);
      return undefined;
    } catch (error) {
      return error instanceof JsonSyntaxError ? error : new JsonSyntaxError(line, "invalid");
    }
  };
  for await (const chunk of chunks) {
    // Line by line, so the line of a token (and of an error) is the one being written.
    let from = 0;
    let failure: JsonSyntaxError | undefined;
    for (let at = chunk.indexOf(NEWLINE); at >= 0 && !failure; at = chunk.indexOf(NEWLINE, from)) {
      failure = write(chunk.subarray(from, at + 1));
      if (!failure) line++;
      from = at + 1;
    }
    if (!failure && from < chunk.length) failure = write(chunk.subarray(from));
    const emitted = ready;
    ready = [];
    yield* emitted;
    if (failure) throw failure;
  }
  if (!started) throw new JsonSyntaxError(line, "not-an-array");
  yield* ready;
  // A file cut short ends the tokenizer mid-token, or the parser inside the array.
  try {
    tokenizer.end();
  } catch {
    throw new JsonSyntaxError(line, "invalid");
  }
  if (!parser.isEnded) throw new JsonSyntaxError(line, "invalid");
}
