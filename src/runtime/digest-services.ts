// What the digest page and the `leerlus digest` commands share: reading stored digests,
// who may read them, and turning one into a view, Markdown or PDF in a language.
import type { Locale } from "../domain/locale.ts";
import { findDigestReader } from "../persistence/digest-reader-repository.ts";
import { createDigestRepository } from "../persistence/digest-repository.ts";
import { createDirectoryRepository } from "../persistence/directory-repository.ts";
import type { Db } from "../persistence/prisma-client.ts";
import { createStores } from "../persistence/unit-of-work.ts";
import type { PromptCatalog } from "../ports/prompt-catalog.ts";
import type { StoredDigest } from "../ports/store.ts";
import { digestMarkdown } from "../use-cases/digest/digest-markdown.ts";
import { type DigestView, digestView, type LiveLoop } from "../use-cases/digest/digest-view.ts";
import { createInterventionMarking, localToday } from "../use-cases/digest/intervention-marks.ts";
import { ADVISERS_AUDIENCE } from "../use-cases/send-digest.ts";
import { digestPdf } from "./digest-pdf.ts";

export function createDigestServices(input: { db: Db; prompts: PromptCatalog; now?: () => Date }) {
  const { db, prompts } = input;
  const now = input.now ?? (() => new Date());
  const stores = createStores(db);
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
  const services = {
    digest: (digestId: string) => digests.get(digestId),
    list: (organisationId: string) => digests.list(organisationId, ADVISERS_AUDIENCE),
    organisationName,
    /** The person with their organisation; advising a project counts as the adviser role. */
    person: (personId: string) => findDigestReader(db, personId),
    viewOf(digest: StoredDigest, locale: Locale, name: string, live?: LiveLoop): DigestView {
      return digestView({
        prompts,
        locale,
        organisationName: name,
        content: digest.content,
        ...(live ? { live } : {}),
      });
    },
    /** What the digest page's controls need: advisers' marks, own interventions, projects to name, today. */
    loop: {
      async state(organisationId: string) {
        const [marks, custom, projects, organisation] = await Promise.all([
          stores.interventions.marks(organisationId),
          stores.interventions.custom(organisationId),
          stores.interventions.choosableProjects(organisationId),
          stores.directory.organisation(organisationId),
        ]);
        const projectNames = await stores.interventions.projectNames(
          organisationId,
          marks.flatMap((mark) => mark.projectIds),
        );
        const today = localToday(now(), organisation?.timezone ?? "Europe/Amsterdam");
        return { live: { marks, custom, projectNames }, projects, today };
      },
      marking: createInterventionMarking({ stores, prompts, now }),
      themes: (locale: Locale) => prompts.themes(locale).map((theme) => ({ id: theme.id, label: theme.label })),
    },
    markdown: (view: DigestView) => digestMarkdown(view, hidden(view.locale)),
    pdf: (view: DigestView) => digestPdf(view, hidden(view.locale)),
  };
  return {
    ...services,
    /** What the digest page router reads with: spread into createDigestRouter's config. */
    page: {
      digest: services.digest,
      list: services.list,
      person: services.person,
      view: services.viewOf,
      loop: services.loop,
      markdown: services.markdown,
      pdf: services.pdf,
    },
  };
}

export type DigestServices = ReturnType<typeof createDigestServices>;
