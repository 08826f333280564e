// The privacy statement (AVG article 13) and the terms of use, built from what Leerlus does and
// what the organisation filled in. A field the organisation has not filled in is shown as such,
// and named at the top, so nobody mistakes a half-done statement for a finished one.
import type { Locale } from "../domain/locale.ts";
import { withUserText } from "../domain/message.ts";
import {
  missingFields,
  type PrivacyField,
  type PrivacyStatementFacts,
  type PrivacyStatementFields,
} from "../domain/privacy-statement.ts";
import type { LegalLine, LegalPage, LegalPages, LegalSection } from "../ports/legal-page.ts";
import type { PrivacyStatementStore } from "../ports/privacy-statement-store.ts";
import type { PromptCatalog } from "../ports/prompt-catalog.ts";

export const COMPLAINT_URL = "https://autoriteitpersoonsgegevens.nl";

type Context = { t: (key: string, vars?: Record<string, string | number>) => string; fields: PrivacyStatementFields };

/** A line quoting `field` as the organisation wrote it, or the "not filled in yet" line. */
function filled(context: Context, key: string, field: PrivacyField, slot: string): LegalLine {
  const value = context.fields[field];
  if (!value) {
    const name = context.t(`legal.field.${field}`);
    return {
      text: [context.t("legal.not-filled", { field: name.charAt(0).toUpperCase() + name.slice(1) })],
      missing: true,
    };
  }
  return { text: withUserText((user) => context.t(key, user), { [slot]: value }) };
}

function page(
  prompts: PromptCatalog,
  locale: Locale,
  facts: PrivacyStatementFacts | null,
  which: "privacy" | "terms",
  sections: (context: Context, facts: PrivacyStatementFacts | null) => LegalSection[],
  needed: readonly PrivacyField[],
): LegalPage {
  const t = (key: string, vars?: Record<string, string | number>) => prompts.t(locale, key, vars);
  const fields = facts?.fields ?? {};
  const context = { t, fields };
  const missing = missingFields(fields).filter((field) => needed.includes(field));
  const organisation = facts?.organisationName ?? fields.controller ?? "Leerlus";
  return {
    locale,
    title: t(`legal.${which}.title`),
    intro: withUserText((user) => t(`legal.${which}.intro`, user), { organisation }),
    ...(missing.length > 0
      ? { incomplete: t("legal.incomplete", { fields: missing.map((field) => t(`legal.field.${field}`)).join(", ") }) }
      : {}),
    sections: sections(context, facts),
    switchLanguage: { label: t("legal.switch-language"), locale: locale === "nl" ? "en" : "nl" },
  };
}

const items = (t: Context["t"], prefix: string, keys: string[]): LegalLine[] =>
  keys.map((key) => ({ text: [t(`${prefix}.${key}`)] }));

export function privacyStatement(
  prompts: PromptCatalog,
  locale: Locale,
  facts: PrivacyStatementFacts | null,
): LegalPage {
  return page(
    prompts,
    locale,
    facts,
    "privacy",
    (context, known) => {
      const { t } = context;
      const p = "legal.privacy";
      const months = known?.retentionMonths ?? null;
      return [
        {
          heading: t(`${p}.controller.heading`),
          lines: [
            filled(context, `${p}.controller.text`, "controller", "controller"),
            filled(context, `${p}.controller.contact`, "controllerContact", "contact"),
          ],
        },
        { heading: t(`${p}.dpo.heading`), lines: [filled(context, `${p}.dpo.text`, "dpoContact", "dpo")] },
        {
          heading: t(`${p}.purposes.heading`),
          list: true,
          lines: items(t, `${p}.purposes.items`, ["retro", "lessons", "actions", "oversight", "operation"]),
        },
        { heading: t(`${p}.basis.heading`), lines: [filled(context, `${p}.basis.text`, "legalBasis", "basis")] },
        {
          heading: t(`${p}.data.heading`),
          list: true,
          lines: items(t, `${p}.data.items`, ["identity", "preferences", "roles", "answers", "work", "messages"]),
        },
        {
          heading: t(`${p}.retention.heading`),
          list: true,
          lines: [
            { text: [months ? t(`${p}.retention.answers`, { months }) : t(`${p}.retention.answers-unlimited`)] },
            { text: [t(`${p}.retention.messages`, { days: known?.outboxRetentionDays ?? 30 })] },
            ...items(t, `${p}.retention`, ["profile", "lessons", "audit"]),
          ],
        },
        {
          heading: t(`${p}.recipients.heading`),
          lines: [
            { text: [t(`${p}.recipients.team`, { count: known?.minGroupSize ?? 3 })] },
            { text: [t(`${p}.recipients.platforms`)] },
            filled(context, `${p}.recipients.processors`, "processors", "processors"),
          ],
        },
        { heading: t(`${p}.rights.heading`), lines: items(t, `${p}.rights`, ["text", "how"]) },
        {
          heading: t(`${p}.complaint.heading`),
          lines: [{ text: [t(`${p}.complaint.text`)] }],
          link: { href: COMPLAINT_URL, text: t(`${p}.complaint.link`) },
        },
      ];
    },
    ["controller", "controllerContact", "dpoContact", "legalBasis", "processors"],
  );
}

export function termsOfUse(prompts: PromptCatalog, locale: Locale, facts: PrivacyStatementFacts | null): LegalPage {
  return page(
    prompts,
    locale,
    facts,
    "terms",
    (context) => {
      const { t } = context;
      const p = "legal.terms";
      return [
        {
          heading: t(`${p}.provider.heading`),
          lines: [
            filled(context, `${p}.provider.text`, "controller", "controller"),
            filled(context, `${p}.provider.contact`, "controllerContact", "contact"),
          ],
        },
        {
          heading: t(`${p}.use.heading`),
          list: true,
          lines: items(t, `${p}.use.items`, ["purpose", "sensitive", "visible", "respect"]),
        },
        {
          heading: t(`${p}.privacy.heading`),
          lines: [{ text: [t(`${p}.privacy.text`)] }],
          link: { href: "/privacy", text: t(`${p}.privacy.link`) },
        },
        { heading: t(`${p}.software.heading`), lines: [{ text: [t(`${p}.software.text`)] }] },
      ];
    },
    ["controller", "controllerContact"],
  );
}

/** The public /privacy and /terms pages, from what the organisation filled in. */
export function legalPages(prompts: PromptCatalog, statements: Pick<PrivacyStatementStore, "facts">): LegalPages {
  return async (which, locale, organisationId) => {
    const facts = await statements.facts(organisationId);
    if (organisationId !== undefined && !facts) return null;
    return which === "privacy" ? privacyStatement(prompts, locale, facts) : termsOfUse(prompts, locale, facts);
  };
}
