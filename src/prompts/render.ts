import { LeerlusError } from "../domain/leerlus-error.ts";
import type { Locale } from "../domain/locale.ts";
import type { Vars } from "../ports/prompt-catalog.ts";
import { expandInlinePlurals, inlinePlurals } from "./inline-plural.ts";

/** A message is a plain string or plural forms chosen by the numeric var `count`. */
export type PluralForms = { zero?: string; one: string; other: string };
export type MessageValue = string | PluralForms;

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9_]*)\}/g;

/** Placeholder names in a message (all plural forms and inline plurals together), sorted and unique. */
export function placeholdersOf(value: MessageValue): string[] {
  const names = new Set<string>();
  const collect = (text: string) => {
    for (const plural of inlinePlurals(text)) {
      names.add(plural.name);
      for (const branch of plural.branches.values()) collect(branch);
    }
    for (const match of text.matchAll(PLACEHOLDER)) names.add(match[1] as string);
  };
  for (const text of typeof value === "string" ? [value] : Object.values(value)) collect(text);
  return [...names].sort();
}

const pluralRules = new Map<Locale, Intl.PluralRules>();

/** The CLDR plural category of `count` in `locale` ("one", "other", …). */
export function pluralCategory(locale: Locale, count: number): Intl.LDMLPluralRule {
  let rules = pluralRules.get(locale);
  if (!rules) {
    rules = new Intl.PluralRules(locale);
    pluralRules.set(locale, rules);
  }
  return rules.select(count);
}

const numberFormats = new Map<Locale, Intl.NumberFormat>();

function numberFormat(locale: Locale): Intl.NumberFormat {
  let format = numberFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale);
    numberFormats.set(locale, format);
  }
  return format;
}

function numberVar(key: string, name: string, vars: Vars): number {
  const raw = vars[name];
  const count = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : raw;
  if (typeof count !== "number" || !Number.isFinite(count)) {
    throw new LeerlusError("PROMPT_VAR_MISSING", `{${name}} (a number) for plural message ${key}`);
  }
  return count;
}

function pluralForm(key: string, forms: PluralForms, locale: Locale, vars: Vars): string {
  const count = numberVar(key, "count", vars);
  if (count === 0 && forms.zero !== undefined) return forms.zero;
  return pluralCategory(locale, count) === "one" ? forms.one : forms.other;
}

/** Fills `{name}` placeholders and inline plurals; a missing var is a programming error, so it throws. */
export function renderMessage(key: string, value: MessageValue, locale: Locale, vars: Vars = {}): string {
  const chosen = typeof value === "string" ? value : pluralForm(key, value, locale, vars);
  const text = expandInlinePlurals(chosen, (name) => {
    const count = numberVar(key, name, vars);
    // As in ICU, # is the number written the locale's way (1.000 in Dutch, 1,000 in English).
    const shown = typeof vars[name] === "number" ? numberFormat(locale).format(count) : String(vars[name]);
    return { category: pluralCategory(locale, count), shown };
  });
  return text.replace(PLACEHOLDER, (_whole, name: string) => {
    const replacement = vars[name];
    if (replacement === undefined) throw new LeerlusError("PROMPT_VAR_MISSING", `{${name}} for message ${key}`);
    return String(replacement);
  });
}
