// What the digest page and the `leerlus digest` commands share: the digest pages' use case
// (src/use-cases/digest/digest-pages.ts) wired to the database, and the PDF rendering.
import type { Db } from "../persistence/database.ts";
import { findDigestReader } from "../persistence/digest-reader-repository.ts";
import { createStores } from "../persistence/unit-of-work.ts";
import type { DigestView } from "../ports/digest-view.ts";
import type { PromptCatalog } from "../ports/prompt-catalog.ts";
import { createDigestPages } from "../use-cases/digest/digest-pages.ts";
import { digestPdf } from "./digest-pdf.ts";

export function createDigestServices(input: { db: Db; prompts: PromptCatalog; now?: () => Date }) {
  const { db, prompts } = input;
  const stores = createStores(db);
  const pages = createDigestPages({
    stores,
    prompts,
    now: input.now ?? (() => new Date()),
    reader: (personId) => findDigestReader(db, personId),
  });
  const organisationNames = new Map<string, string>();
  const organisationName = async (organisationId: string) => {
    let name = organisationNames.get(organisationId);
    if (name === undefined) {
      name = (await stores.directory.organisation(organisationId))?.name ?? "";
      organisationNames.set(organisationId, name);
    }
    return name;
  };
  const pdf = (view: DigestView) => digestPdf(view, pages.hidden(view.locale));
  return {
    digest: pages.digest,
    list: pages.list,
    organisationName,
    person: pages.person,
    viewOf: pages.view,
    loop: pages.loop,
    markdown: pages.markdown,
    pdf,
    /** What the digest page router reads with: spread into createDigestRouter's config. */
    page: {
      digest: pages.digest,
      list: pages.list,
      person: pages.person,
      view: pages.view,
      loop: pages.loop,
      markdown: pages.markdown,
      pdf,
    },
  };
}

export type DigestServices = ReturnType<typeof createDigestServices>;
