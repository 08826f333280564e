import type { MessageValue, PluralForms } from "./render.ts";
import type { MessageTree } from "./schemas.ts";

const PLURAL_KEYS = new Set(["zero", "one", "other"]);

/** A map with `one` and `other` (and optionally `zero`) and nothing else is a plural, not a nested group. */
function asPlural(tree: MessageTree): PluralForms | undefined {
  const keys = Object.keys(tree);
  if (!keys.includes("one") || !keys.includes("other")) return undefined;
  if (!keys.every((key) => PLURAL_KEYS.has(key))) return undefined;
  if (!Object.values(tree).every((value) => typeof value === "string")) return undefined;
  return tree as PluralForms;
}

/**
 * Flattens nested maps into dotted keys under `prefix` ("" for the messages namespace).
 * Returns the keys that were already in `table`, so the caller can name the collision.
 */
export function flattenMessages(tree: MessageTree, prefix: string, table: Map<string, MessageValue>): string[] {
  const duplicates: string[] = [];
  for (const [name, value] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${name}` : name;
    const leaf = typeof value === "string" ? value : asPlural(value);
    if (leaf === undefined) {
      duplicates.push(...flattenMessages(value as MessageTree, key, table));
      continue;
    }
    if (table.has(key)) duplicates.push(key);
    table.set(key, leaf);
  }
  return duplicates;
}
