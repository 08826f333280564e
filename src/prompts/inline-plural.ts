// Plurals inside a message, in ICU MessageFormat's notation, for a message with more than one
// number or whose number is not `count`: "{total, plural, one {# vrije dag} other {# vrije dagen}}".
// `#` is the number; a branch may hold {placeholders} but no further plural. The branch is
// chosen by Intl.PluralRules for the message's locale.
import { LeerlusError } from "../domain/leerlus-error.ts";

/** One inline plural: where it sits in the text, the number's var name and its branches by category. */
export type InlinePlural = { start: number; end: number; name: string; branches: Map<string, string> };

const HEAD = /\{\s*([A-Za-z][A-Za-z0-9_]*)\s*,\s*plural\s*,/g;
const CATEGORY = /^\s*(zero|one|two|few|many|other)\s*\{/;

/** The index just past the brace that closes the one at `open`, or -1. */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let index = open; index < text.length; index++) {
    if (text[index] === "{") depth++;
    else if (text[index] === "}" && --depth === 0) return index + 1;
  }
  return -1;
}

/** Every inline plural in `text`, in order; throws on one that is not well formed. */
export function inlinePlurals(text: string): InlinePlural[] {
  const found: InlinePlural[] = [];
  for (const match of text.matchAll(HEAD)) {
    const start = match.index;
    if (found.some((plural) => start < plural.end)) continue;
    const end = closing(text, start);
    if (end < 0) throw new LeerlusError("PROMPT_PLURAL_INVALID", `unclosed {${match[1]}, plural, …}`);
    const branches = new Map<string, string>();
    let rest = text.slice(start + match[0].length, end - 1);
    while (rest.trim() !== "") {
      const category = CATEGORY.exec(rest);
      const close = category ? closing(rest, category[0].length - 1) : -1;
      if (!category?.[1] || close < 0) {
        throw new LeerlusError("PROMPT_PLURAL_INVALID", `{${match[1]}, plural, …} needs "category {text}" branches`);
      }
      branches.set(category[1], rest.slice(category[0].length, close - 1));
      rest = rest.slice(close);
    }
    if (!branches.has("other"))
      throw new LeerlusError("PROMPT_PLURAL_INVALID", `{${match[1]}, plural, …} has no "other"`);
    found.push({ start, end, name: match[1] as string, branches });
  }
  return found;
}

/** `text` with every inline plural replaced by its branch for the number in `number(name)`. */
export function expandInlinePlurals(
  text: string,
  select: (name: string) => { category: string; shown: string },
): string {
  const plurals = inlinePlurals(text);
  if (plurals.length === 0) return text;
  let result = "";
  let at = 0;
  for (const plural of plurals) {
    const { category, shown } = select(plural.name);
    const branch = plural.branches.get(category) ?? (plural.branches.get("other") as string);
    result += text.slice(at, plural.start) + branch.replaceAll("#", shown);
    at = plural.end;
  }
  return result + text.slice(at);
}
