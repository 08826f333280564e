// What the advisers' digest pages read and do, for the web adapter's digest router: stored
// digests of the advisers' audience, who is reading, each digest as a view or Markdown in a
// language, and the intervention loop's live state and marks.
import type { Locale } from "../../domain/locale.ts";
import type { StoredDigest } from "../../ports/digest-store.ts";
import type { DigestReader, DigestView, LiveLoop } from "../../ports/digest-view.ts";
import type { PromptCatalog } from "../../ports/prompt-catalog.ts";
import type { Stores } from "../../ports/stores.ts";
import { ADVISERS_AUDIENCE } from "../send-digest.ts";
import { digestMarkdown } from "./digest-markdown.ts";
import { digestView } from "./digest-view.ts";
import { createInterventionMarking, localToday } from "./intervention-marks.ts";

export function createDigestPages(deps: {
  stores: Pick<Stores, "digests" | "interventions" | "directory">;
  prompts: PromptCatalog;
  now: () => Date;
  reader: (personId: string) => Promise<DigestReader | null>;
}) {
  const { stores, prompts, now } = deps;
  const hidden = (locale: Locale) => prompts.t(locale, "digests.chart.hidden");
  return {
    digest: (digestId: string) => stores.digests.get(digestId),
    list: (organisationId: string) => stores.digests.list(organisationId, ADVISERS_AUDIENCE),
    person: deps.reader,
    view(digest: StoredDigest, locale: Locale, organisationName: string, live?: LiveLoop): DigestView {
      return digestView({ prompts, locale, organisationName, content: digest.content, ...(live ? { live } : {}) });
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
    /** The words a chart without figures shows (too few people), for renderings outside the core. */
    hidden,
  };
}
