import { buildDigestContent } from "../domain/digest-content.ts";
import { deliverAt } from "./delivery-time.ts";
import type { Deps } from "./deps.ts";
import { digestMessage } from "./messages/digest-message.ts";

export const ADVISERS_AUDIENCE = "advisers";
const DEFAULT_FIRST_PERIOD_DAYS = 7;

/**
 * Builds the advisers' digest for the period since the last one and sends it to every
 * adviser of the organisation. The period start is the key: a second run for the same
 * period creates and sends nothing.
 */
export async function sendDigest(deps: Deps, organisationId: string): Promise<string | null> {
  const now = deps.clock.now();
  const queued = await deps.unitOfWork(`digest:${organisationId}`, async (stores) => {
    const organisation = await stores.directory.organisation(organisationId);
    if (!organisation) return { digestId: null, queued: [] };
    const lastEnd = await stores.digests.lastPeriodEnd(organisationId, ADVISERS_AUDIENCE);
    const periodStart = lastEnd ?? new Date(now.getTime() - DEFAULT_FIRST_PERIOD_DAYS * 24 * 60 * 60 * 1000);
    if (periodStart >= now) return { digestId: null, queued: [] };
    const content = buildDigestContent({
      periodStart,
      periodEnd: now,
      lessons: await stores.lessons.inPeriod(organisationId, periodStart, now),
      participation: await stores.digests.participation(organisationId, periodStart, now),
      minGroupSize: organisation.minGroupSize,
    });
    const digestId = await stores.digests.create({
      organisationId,
      audience: ADVISERS_AUDIENCE,
      periodStart,
      periodEnd: now,
      content,
    });
    if (!digestId) return { digestId: null, queued: [] };
    const advisers = await stores.directory.advisers(organisationId);
    const items = advisers.flatMap((adviser) => {
      const address = adviser.directs[0];
      if (!address) return [];
      return [
        {
          key: `digest:${digestId}:${adviser.id}`,
          organisationId,
          address,
          message: digestMessage({
            prompts: deps.prompts,
            locale: adviser.locale,
            organisationName: organisation.name,
            content,
          }),
          notBefore: deliverAt(deps.holidays, now, adviser.timezone ?? organisation.timezone, organisation.quiet),
        },
      ];
    });
    return { digestId, queued: await stores.outbox.enqueue(items) };
  });
  if (queued.queued.length > 0) await deps.dispatcher.deliver(queued.queued);
  return queued.digestId;
}
