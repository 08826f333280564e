import type { Locale } from "../domain/locale.ts";
import type { Vars } from "../ports/prompt-catalog.ts";

/** A message is a plain string or plural forms chosen by the numeric var `count`. */
export type PluralForms = { zero?: string; one: string; other: string };
export type MessageValue = string | PluralForms;

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9_]*)\}/g;

/** Placeholder names in a message (all plural forms together), sorted and unique. */
export function placeholdersOf(value: MessageValue): string[] {
  const texts = typeof value === "string" ? [value] : Object.values(value);
  const names = new Set<string>();
  for (const text of texts) {
    for (const match of text.matchAll(PLACEHOLDER)) names.add(match[1] as string);
  }
  return [...names].sort();
}

const pluralRules = new Map<Locale, Intl.PluralRules>();

function pluralForm(key: string, forms: PluralForms, locale: Locale, vars: Vars): string {
  const raw = vars.count;
  const count = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : raw;
  if (typeof count !== "number" || !Number.isFinite(count)) {
    throw new Error(`PROMPT_VAR_MISSING: {count} (a number) for plural message ${key}`);
  }
  if (count === 0 && forms.zero !== undefined) return forms.zero;
  let rules = pluralRules.get(locale);
  if (!rules) {
    rules = new Intl.PluralRules(locale);
    pluralRules.set(locale, rules);
  }
  return rules.select(count) === "one" ? forms.one : forms.other;
}

/** Fills `{name}` placeholders; a missing var is a programming error, so it throws. */
export function renderMessage(key: string, value: MessageValue, locale: Locale, vars: Vars = {}): string {
  const text = typeof value === "string" ? value : pluralForm(key, value, locale, vars);
  return text.replace(PLACEHOLDER, (_whole, name: string) => {
    const replacement = vars[name];
    if (replacement === undefined) throw new Error(`PROMPT_VAR_MISSING: {${name}} for message ${key}`);
    return String(replacement);
  });
}
