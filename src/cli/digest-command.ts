// `leerlus digest preview|send|export`: the advisers' digest from the command line.
import { writeFileSync } from "node:fs";
import type { Config } from "../config.ts";
import { LeerlusError } from "../domain/leerlus-error.ts";
import { toLocale } from "../domain/locale.ts";
import { createStores } from "../persistence/unit-of-work.ts";
import type { Logger } from "../ports/logger.ts";
import type { PromptCatalog } from "../ports/prompt-catalog.ts";
import type { Stores } from "../ports/stores.ts";
import { createProcessCore } from "../runtime/core.ts";
import { createDigestServices } from "../runtime/digest-services.ts";
import { openDatabase, openInfrastructure } from "../runtime/infrastructure.ts";
import { resolveSecret } from "../runtime/secrets.ts";
import { composeDigest } from "../use-cases/digest/compose-digest.ts";
import { digestView } from "../use-cases/digest/digest-view.ts";
import { sendDigest } from "../use-cases/send-digest.ts";

export const DIGEST_USAGE = `  digest preview [--org ID] [--locale nl|en] [--days N]
            print the digest of the last N days (default: the organisation's period) as Markdown; stores and sends nothing
  digest send [--org ID]
            build the digest for the period since the last one and send it to the advisers now
  digest export [ID|latest] [--org ID] [--format md|pdf] [--locale nl|en] [--out FILE]
            write a stored digest as Markdown (default, to stdout) or PDF`;

type Options = { org?: string; locale?: string; days?: string; format?: string; out?: string; positional: string[] };

function parseOptions(args: string[]): Options {
  const options: Options = { positional: [] };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string;
    const match = /^--(org|locale|days|format|out)$/.exec(arg);
    if (match) {
      options[match[1] as "org"] = args[++index];
    } else {
      options.positional.push(arg);
    }
  }
  return options;
}

async function organisationOf(stores: Stores, org: string | undefined): Promise<string> {
  if (org) return org;
  const ids = await stores.directory.organisationIds();
  if (ids.length === 1) return ids[0] as string;
  throw ids.length === 0
    ? new LeerlusError("DIGEST_NO_ORGANISATION", "there is no organisation yet")
    : new LeerlusError("DIGEST_ORG_NEEDED", "pass --org <id>");
}

export async function digestCommand(
  args: string[],
  config: Config,
  logger: Logger,
  prompts: PromptCatalog,
): Promise<number> {
  const [sub, ...rest] = args;
  const options = parseOptions(rest);
  if (sub !== "preview" && sub !== "send" && sub !== "export") {
    console.error(`Unknown command "digest ${sub ?? ""}".\n\n${DIGEST_USAGE}`);
    return 2;
  }
  if (sub === "send") {
    const infra = await openInfrastructure(config, logger, { migrate: false });
    const core = createProcessCore(config, infra, { prompts, logger, secret: await resolveSecret(config) });
    try {
      const organisationId = await organisationOf(core.deps.stores, options.org);
      const id = await sendDigest(core.deps, organisationId, { force: true });
      const locale = toLocale(options.locale);
      console.log(id ? prompts.t(locale, "digests.cli.sent", { id }) : prompts.t(locale, "digests.cli.nothing"));
      return 0;
    } finally {
      await core.close();
      await infra.close();
    }
  }
  const database = await openDatabase(config, logger, { migrate: false });
  try {
    const services = createDigestServices({ db: database.db, prompts });
    const stores = createStores(database.db);
    const organisationId = await organisationOf(stores, options.org);
    const organisation = await stores.directory.organisation(organisationId);
    if (!organisation) throw new LeerlusError("ORGANISATION_UNKNOWN", `no organisation ${organisationId}`);
    const locale = toLocale(options.locale, organisation.locale);
    if (sub === "preview") {
      const days = Number(options.days ?? (await stores.digests.everyDays(organisationId)));
      if (!(days > 0)) throw new LeerlusError("DIGEST_DAYS_INVALID", "--days must be a positive number");
      const periodEnd = new Date();
      const periodStart = new Date(periodEnd.getTime() - days * 24 * 60 * 60 * 1000);
      const content = await composeDigest({
        stores,
        prompts,
        organisationId,
        periodStart,
        periodEnd,
        minGroupSize: organisation.minGroupSize,
      });
      process.stdout.write(
        services.markdown(digestView({ prompts, locale, organisationName: organisation.name, content })),
      );
      return 0;
    }
    const [which = "latest"] = options.positional;
    const digest =
      which === "latest"
        ? await services.list(organisationId).then((all) => (all[0] ? services.digest(all[0].id) : null))
        : await services.digest(which);
    if (!digest || digest.organisationId !== organisationId) {
      console.error(`DIGEST_NOT_FOUND: no digest "${which}" for this organisation`);
      return 1;
    }
    const view = services.viewOf(digest, locale, organisation.name);
    const format = options.format ?? (options.out?.endsWith(".pdf") ? "pdf" : "md");
    if (format !== "md" && format !== "pdf") throw new LeerlusError("DIGEST_FORMAT_INVALID", "--format is md or pdf");
    const body = format === "pdf" ? await services.pdf(view) : services.markdown(view);
    const out =
      options.out ?? (format === "pdf" ? `digest-${digest.periodEnd.toISOString().slice(0, 10)}.pdf` : undefined);
    if (out) {
      writeFileSync(out, body);
      console.log(prompts.t(locale, "digests.cli.written", { file: out }));
    } else {
      process.stdout.write(body);
    }
    return 0;
  } finally {
    await database.close();
  }
}
