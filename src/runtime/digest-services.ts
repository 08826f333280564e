// What the digest page and the `leerlus digest` commands share: reading stored digests,
// who may read them, and turning one into a view, Markdown or PDF in a language.
import type { Locale } from "../domain/locale.ts";
import type { Db } from "../persistence/database.ts";
import { findDigestReader } from "../persistence/digest-reader-repository.ts";
import { createDigestRepository } from "../persistence/digest-repository.ts";
import { createDirectoryRepository } from "../persistence/directory-repository.ts";
import type { PromptCatalog } from "../ports/prompt-catalog.ts";
import type { StoredDigest } from "../ports/store.ts";
import { digestMarkdown } from "../use-cases/digest/digest-markdown.ts";
import { type DigestView, digestView } from "../use-cases/digest/digest-view.ts";
import { ADVISERS_AUDIENCE } from "../use-cases/send-digest.ts";
import { digestPdf } from "./digest-pdf.ts";

export function createDigestServices(input: { db: Db; prompts: PromptCatalog }) {
  const { db, prompts } = input;
  const digests = createDigestRepository(db);
  const directory = createDirectoryRepository(db);
  const organisationNames = new Map<string, string>();
  const organisationName = async (organisationId: string) => {
    let name = organisationNames.get(organisationId);
    if (name === undefined) {
      name = (await directory.organisation(organisationId))?.name ?? "";
      organisationNames.set(organisationId, name);
    }
    return name;
  };
  const hidden = (locale: Locale) => prompts.t(locale, "digests.chart.hidden");
  return {
    digest: (digestId: string) => digests.get(digestId),
    list: (organisationId: string) => digests.list(organisationId, ADVISERS_AUDIENCE),
    organisationName,
    /** The person with their organisation; advising a project counts as the adviser role. */
    person: (personId: string) => findDigestReader(db, personId),
    viewOf(digest: StoredDigest, locale: Locale, name: string): DigestView {
      return digestView({ prompts, locale, organisationName: name, content: digest.content });
    },
    markdown: (view: DigestView) => digestMarkdown(view, hidden(view.locale)),
    pdf: (view: DigestView) => digestPdf(view, hidden(view.locale)),
  };
}

export type DigestServices = ReturnType<typeof createDigestServices>;
