import type { OutboxItem } from "../ports/outbox-store.ts";
import type { ProjectRecord } from "../ports/project-records.ts";
import type { CycleRecord } from "../ports/retro-store.ts";
import type { Stores } from "../ports/stores.ts";
import { deliverAt } from "./delivery-time.ts";
import type { Deps } from "./deps.ts";
import { queueGuestReminders } from "./guests/guest-invites.ts";
import { reminderMessage } from "./messages/reminder-message.ts";
import { responseKeyFor } from "./submit-answers.ts";

/** One reminder per cycle, to those who have not answered yet or put answering off with `later`. */
export async function remindCycle(
  deps: Deps,
  stores: Stores,
  project: ProjectRecord,
  cycle: CycleRecord,
  now: Date,
): Promise<OutboxItem[]> {
  const deliveries = await stores.retro.deliveries(cycle.id);
  await stores.retro.markReminded(cycle.id, now);
  const answered = deliveries.filter((delivery) => delivery.answeredAt).length;
  const snoozed = new Set(await stores.forms.snoozedIn(cycle.id));
  const waiting = new Set(
    deliveries
      .filter((delivery) => !delivery.answeredAt || snoozed.has(responseKeyFor(deps.secret, delivery.id)))
      .map((delivery) => delivery.personId),
  );
  await queueGuestReminders(deps, stores, project, cycle, waiting, now);
  const items: OutboxItem[] = [];
  for (const person of project.participants) {
    const address = person.directs[0];
    if (!waiting.has(person.id) || !address) continue;
    items.push({
      key: `reminder:${cycle.id}:${person.id}`,
      organisationId: project.organisationId,
      address,
      message: reminderMessage({
        prompts: deps.prompts,
        locale: person.locale,
        projectName: project.name,
        cycle,
        answered,
        invited: deliveries.length,
      }),
      notBefore: deliverAt(deps.holidays, now, person.timezone ?? project.timezone, project.quiet),
    });
  }
  return items;
}
