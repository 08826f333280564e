// Where guests join the retro cycle: each opened cycle has a delivery for every guest still
// receiving mail (so their answers, reminders and counts work as everyone's do), and their
// invitations and reminders are queued as keyed mails in the same transaction.
import type { GuestMailKind, QueuedGuestMail } from "../../ports/guest-store.ts";
import type { ProjectRecord } from "../../ports/project-records.ts";
import type { CycleRecord } from "../../ports/retro-store.ts";
import type { Stores } from "../../ports/stores.ts";
import { deliverAt } from "../delivery-time.ts";
import type { Deps } from "../deps.ts";

/** The guests each project's new cycle invites, by project; none while no mail is configured. */
export async function guestsInvited(
  deps: Pick<Deps, "mailer">,
  stores: Stores,
  projectIds: readonly string[],
): Promise<Map<string, string[]>> {
  const byProject = new Map<string, string[]>();
  if (!deps.mailer) return byProject;
  for (const { projectId, personId } of await stores.guests.activeGuests(projectIds)) {
    byProject.set(projectId, [...(byProject.get(projectId) ?? []), personId]);
  }
  return byProject;
}

export const guestMailKey = (kind: GuestMailKind, cycleId: string, personId: string) =>
  `${kind}:${cycleId}:${personId}`;

function mailsFor(
  deps: Pick<Deps, "holidays">,
  kind: GuestMailKind,
  project: ProjectRecord,
  cycle: CycleRecord,
  personIds: readonly string[],
  now: Date,
): QueuedGuestMail[] {
  // The organisation's working hours hold for guests too: no invitation at night or on Sunday.
  const notBefore = deliverAt(deps.holidays, now, project.timezone, project.quiet) ?? now;
  return personIds.map((personId) => ({
    key: guestMailKey(kind, cycle.id, personId),
    organisationId: project.organisationId,
    personId,
    cycleId: cycle.id,
    kind,
    notBefore,
  }));
}

export async function queueGuestInvites(
  deps: Pick<Deps, "holidays">,
  stores: Stores,
  opened: readonly { project: ProjectRecord; cycle: CycleRecord }[],
  invited: ReadonlyMap<string, readonly string[]>,
  now: Date,
): Promise<void> {
  await stores.guests.queueMails(
    opened.flatMap(({ project, cycle }) =>
      mailsFor(deps, "invite", project, cycle, invited.get(project.id) ?? [], now),
    ),
  );
}

/** A reminder to each guest among `waiting` (people who have not answered) who still receives mail. */
export async function queueGuestReminders(
  deps: Pick<Deps, "holidays" | "mailer">,
  stores: Stores,
  project: ProjectRecord,
  cycle: CycleRecord,
  waiting: ReadonlySet<string>,
  now: Date,
): Promise<void> {
  const guests = (await guestsInvited(deps, stores, [project.id])).get(project.id) ?? [];
  const due = guests.filter((personId) => waiting.has(personId));
  await stores.guests.queueMails(mailsFor(deps, "reminder", project, cycle, due, now));
}
