import { createHash, timingSafeEqual } from "node:crypto";

/** Compares secrets in constant time; hashing first hides the expected secret's length too. */
export function sameText(given: string, expected: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
