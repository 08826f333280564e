// Guests' personal data under the organisation's retention period: a former guest (removed
// from every project, or unsubscribed longer ago than the period) is erased as a person asking
// for erasure would be, and guest mail rows go after the outbox's period (they hold no address
// or content, only what was sent when).
import type { Deps } from "../deps.ts";
import { erasePersonalData } from "../privacy.ts";

export async function applyGuestRetention(
  deps: Deps,
  organisationId: string,
  input: { personalDataBefore: Date | null; mailsBefore: Date },
): Promise<{ guests: number; mails: number }> {
  const mails = await deps.stores.guests.pruneMails(organisationId, input.mailsBefore);
  if (!input.personalDataBefore) return { guests: 0, mails };
  const former = await deps.stores.guests.formerGuests(organisationId, input.personalDataBefore);
  for (const personId of former) await erasePersonalData(deps, personId, null);
  return { guests: former.length, mails };
}
