import { deliverAt } from "./delivery-time.ts";
import type { Deps } from "./deps.ts";
import { composeDigest } from "./digest/compose-digest.ts";
import { digestLink, digestLinkSigner } from "./digest/digest-link.ts";
import { digestView } from "./digest/digest-view.ts";
import { digestMessage } from "./messages/digest-message.ts";

export const ADVISERS_AUDIENCE = "advisers";
const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * A run up to a day early still counts as due, so a weekly schedule never drifts a week; never
 * more than half the period, or a one-day period (the demo's) would be due at every run.
 */
const dueSlackMs = (everyDays: number) => Math.min(DAY_MS, (everyDays * DAY_MS) / 2);

/**
 * Builds the advisers' digest for the period since the last one (the organisation's
 * `digestEveryDays`, 7 by default) and sends every adviser a short message with a signed
 * link to the full digest. The period start is the key: a second run for the same period
 * creates and sends nothing; a run before the period is over does nothing unless forced.
 */
export async function sendDigest(
  deps: Deps,
  organisationId: string,
  /** force: now, even before the period is over; quiet: stored for the one who asked, sent to nobody. */
  options: { force?: boolean; quiet?: boolean } = {},
): Promise<string | null> {
  const now = deps.clock.now();
  const queued = await deps.unitOfWork(`digest:${organisationId}`, async (stores) => {
    const organisation = await stores.directory.organisation(organisationId);
    const everyDays = await stores.digests.everyDays(organisationId);
    if (!organisation || everyDays === null) return { digestId: null, queued: [] };
    const lastEnd = await stores.digests.lastPeriodEnd(organisationId, ADVISERS_AUDIENCE);
    const periodStart = lastEnd ?? new Date(now.getTime() - everyDays * DAY_MS);
    if (periodStart >= now) return { digestId: null, queued: [] };
    if (!options.force && lastEnd && now.getTime() - lastEnd.getTime() < everyDays * DAY_MS - dueSlackMs(everyDays)) {
      return { digestId: null, queued: [] };
    }
    const content = await composeDigest({
      stores,
      prompts: deps.prompts,
      organisationId,
      periodStart,
      periodEnd: now,
      minGroupSize: organisation.minGroupSize,
    });
    const digestId = await stores.digests.create({
      organisationId,
      audience: ADVISERS_AUDIENCE,
      periodStart,
      periodEnd: now,
      content,
    });
    if (!digestId || options.quiet) return { digestId, queued: [] };
    const signer = digestLinkSigner(deps.secret);
    const advisers = await stores.directory.advisers(organisationId);
    const items = advisers.flatMap((adviser) => {
      const address = adviser.directs[0];
      if (!address) return [];
      const link = digestLink({
        signer,
        publicUrl: deps.publicUrl,
        digestId,
        organisationId,
        personId: adviser.id,
        now,
      });
      const view = digestView({
        prompts: deps.prompts,
        locale: adviser.locale,
        organisationName: organisation.name,
        content,
      });
      return [
        {
          key: `digest:${digestId}:${adviser.id}`,
          organisationId,
          address,
          message: digestMessage({ prompts: deps.prompts, locale: adviser.locale, view, link }),
          notBefore: deliverAt(deps.holidays, now, adviser.timezone ?? organisation.timezone, organisation.quiet),
        },
      ];
    });
    return { digestId, queued: await stores.outbox.enqueue(items) };
  });
  if (queued.queued.length > 0) await deps.dispatcher.deliver(queued.queued);
  return queued.digestId;
}
