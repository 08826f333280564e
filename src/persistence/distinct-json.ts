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
