/**
 * The distinct JSON texts of `values` in first-seen order, and each value's index among
 * them: for statements that send a repeated value (a team's prompt, a format's questions)
 * once and let their rows pick it by index. A value met again as the same object is not
 * stringified again.
 */
export function distinctJson(values: readonly unknown[]): { texts: string[]; indexes: number[] } {
  const byText = new Map<string, number>();
  const byObject = new Map<unknown, number>();
  const indexes = values.map((value) => {
    const known = byObject.get(value);
    if (known !== undefined) return known;
    const text = JSON.stringify(value);
    const index = byText.get(text) ?? byText.size;
    byText.set(text, index);
    byObject.set(value, index);
    return index;
  });
  return { texts: [...byText.keys()], indexes };
}

/**
 * JSON texts as one JSON array, for one parameter read with json_array_elements. As a
 * text[] parameter every quote in them would be escaped, element by element, on the
 * worker's thread: for a fan-out's messages that took longer than everything else the
 * statement does there.
 */
export function jsonArray(texts: readonly string[]): string {
  return `[${texts.join(",")}]`;
}
