// What every inbound payload must be before anything reads it: JSON that survived parsing
// can still hold numbers too large to be numbers (1e400 parses as Infinity), text with lone
// surrogates (no valid UTF-8 exists for them, so storage or rendering would fail later),
// or nesting deep enough to exhaust the stack of a recursive reader.

const MAX_DEPTH = 32;
/** With the u flag a paired surrogate is one astral code point; only a lone one is in Cs. */
const LONE_SURROGATE = /\p{Cs}/u;

export type Malformation = "NUMBER_OUT_OF_RANGE" | "LONE_SURROGATE" | "TOO_DEEP";

/** Why the value is unfit as input, or null when it is well-formed. */
export function findMalformation(value: unknown, depth = 0): Malformation | null {
  if (depth > MAX_DEPTH) return "TOO_DEEP";
  if (typeof value === "number") return Number.isFinite(value) ? null : "NUMBER_OUT_OF_RANGE";
  if (typeof value === "string") return !LONE_SURROGATE.test(value) ? null : "LONE_SURROGATE";
  if (typeof value !== "object" || value === null) return null;
  const children = Array.isArray(value) ? value : Object.entries(value).flat();
  for (const child of children) {
    const found = findMalformation(child, depth + 1);
    if (found) return found;
  }
  return null;
}

/** A sentence for a 400 answer: what was wrong, never the value itself. */
export function describeMalformation(found: Malformation): string {
  if (found === "NUMBER_OUT_OF_RANGE") return "The request holds a number too large to be a number.";
  if (found === "LONE_SURROGATE") return "The request holds text that is not valid Unicode (a lone surrogate).";
  return "The request is nested too deeply.";
}
