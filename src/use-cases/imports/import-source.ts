// What an import reads: a file's bytes as they arrive, so nothing holds the whole file.

/** The chunks of a file (a read stream, or a string or two in tests) and, when known, its size. */
export type ImportSource = {
  name: string;
  chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;
  /** The size in bytes, when known before reading (a file on disk): over the limit is refused at once. */
  bytes?: number;
};

export class FileTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`FILE_TOO_LARGE: more than ${maxBytes} bytes`);
  }
}

/** The chunks as bytes, stopping with {@link FileTooLargeError} as soon as more than `maxBytes` arrived. */
export async function* limitedBytes(source: ImportSource, maxBytes: number): AsyncGenerator<Uint8Array> {
  if (source.bytes !== undefined && source.bytes > maxBytes) throw new FileTooLargeError(maxBytes);
  const encoder = new TextEncoder();
  let total = 0;
  for await (const chunk of source.chunks) {
    const bytes = typeof chunk === "string" ? encoder.encode(chunk) : chunk;
    total += bytes.byteLength;
    if (total > maxBytes) throw new FileTooLargeError(maxBytes);
    yield bytes;
  }
}

/** The first chunk (to tell JSON from CSV) and every chunk again, the first included. */
export async function peekFirst(
  chunks: AsyncIterable<Uint8Array>,
): Promise<{ first: Uint8Array | undefined; all: AsyncIterable<Uint8Array> }> {
  const iterator = chunks[Symbol.asyncIterator]();
  let head = await iterator.next();
  while (!head.done && head.value.byteLength === 0) head = await iterator.next();
  const first = head.done ? undefined : head.value;
  async function* all() {
    try {
      if (first) yield first;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    } finally {
      await iterator.return?.();
    }
  }
  return { first, all: all() };
}
