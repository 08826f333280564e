import { LOCALES, type Locale } from "../domain/locale.ts";
import { flattenMessages } from "./message-table.ts";
import { listPromptFiles, type PromptFile, readPromptFile } from "./prompt-file.ts";
import { type MessageValue, placeholdersOf } from "./render.ts";
import { messagesFileSchema } from "./schemas.ts";

/** Top-level files that hold data rather than bot copy. */
export const DATA_NAMESPACES: readonly string[] = ["themes", "interventions", "team-pulse"];

/** Files in prompts/ that no one reads at run time: the Dutch glossary exists in nl only and feeds a test. */
export const NOT_BOT_COPY: readonly string[] = ["glossary"];

/** The namespace whose keys carry no prefix. */
export const ROOT_NAMESPACE = "messages";

/** Every file in `files` must exist in every locale; `what` names the kind of file in the error. */
export function requireEveryLocale(files: PromptFile[], what: string): void {
  for (const file of files) {
    for (const locale of LOCALES) {
      if (!files.some((other) => other.name === file.name && other.locale === locale)) {
        const missing = file.path.replace(/\.[a-z]{2}\.yaml$/, `.${locale}.yaml`);
        throw new Error(`Missing prompt file ${missing}: ${what} "${file.name}" exists in ${file.locale} only`);
      }
    }
  }
}

/** Bot copy per locale: every top-level `<namespace>.<locale>.yaml` except the data files, flattened. */
export function loadMessages(directory: string): Map<Locale, Map<string, MessageValue>> {
  const files = listPromptFiles(directory).filter(
    (file) => !DATA_NAMESPACES.includes(file.name) && !NOT_BOT_COPY.includes(file.name),
  );
  requireEveryLocale(files, "message namespace");
  const tables = new Map<Locale, Map<string, MessageValue>>(LOCALES.map((locale) => [locale, new Map()]));
  for (const file of files) {
    const tree = readPromptFile(file.path, messagesFileSchema);
    const prefix = file.name === ROOT_NAMESPACE ? "" : file.name;
    const table = tables.get(file.locale) as Map<string, MessageValue>;
    const own = new Map<string, MessageValue>();
    flattenMessages(tree, prefix, own);
    for (const [key, value] of own) {
      try {
        placeholdersOf(value);
      } catch (error) {
        throw new Error(`Invalid prompt file ${file.path}: ${key}: ${(error as Error).message}`);
      }
    }
    const duplicates = flattenMessages(tree, prefix, table);
    if (duplicates.length > 0) {
      throw new Error(
        `Invalid prompt file ${file.path}: ${duplicates.join(", ")}: key already defined in another file`,
      );
    }
  }
  return tables;
}
