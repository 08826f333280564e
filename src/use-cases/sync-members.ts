import type { Platform } from "../domain/inbound-event.ts";
import { toLocale } from "../domain/locale.ts";
import { type Message, withUserText } from "../domain/message.ts";
import { type ChannelMember, type ChatAdapter, DeliveryError } from "../ports/chat-adapter.ts";
import type { OutboxItem } from "../ports/outbox-store.ts";
import type { Address, PersonRecord, ProjectRecord } from "../ports/project-records.ts";
import { deliverAt } from "./delivery-time.ts";
import type { Deps } from "./deps.ts";
import { erasedAccountKey } from "./erased-account.ts";
import { ledProject } from "./led-project.ts";
import { reply } from "./messages/reply.ts";

export type MemberSyncReport = { listed: number; enrolled: number };

type Adapters = ReadonlyMap<string, ChatAdapter>;

/** Platforms whose channels have a member list to read. */
const ROSTER_PLATFORMS: readonly Platform[] = ["slack", "teams"];

/** `members sync` (`leden bijwerken`): the lead asks for the channel's member list to be read now. */
export async function requestMemberSync(deps: Deps, person: PersonRecord, where: Address): Promise<Message[]> {
  const target = await ledProject(deps, person, where);
  if ("problem" in target) return [reply(deps.prompts, person.locale, target.problem)];
  const project = await deps.stores.retro.project(target.projectId, deps.clock.now());
  if (!project?.channels.some((channel) => ROSTER_PLATFORMS.includes(channel.platform))) {
    return [reply(deps.prompts, person.locale, "members.sync.no-channel")];
  }
  await deps.dispatcher.syncMembers(target.projectId);
  return [reply(deps.prompts, person.locale, "members.sync.started")];
}

/** The daily sync: every active project of the organisation; one that fails waits for the next day. */
export async function syncOrganisationMembers(
  deps: Deps,
  adapters: Adapters,
  organisationId: string,
): Promise<MemberSyncReport> {
  const total = { listed: 0, enrolled: 0 };
  for (const projectId of await deps.stores.directory.activeProjectIds(organisationId)) {
    try {
      const report = await syncProjectMembers(deps, adapters, projectId);
      total.listed += report.listed;
      total.enrolled += report.enrolled;
    } catch (error) {
      deps.logger.warn(
        { projectId, err: errorCode(error) },
        "reading a channel's members failed; tomorrow's sync tries again",
      );
    }
  }
  return total;
}

/**
 * Everyone in the project's channels takes part: each human member the platform lists is
 * registered (linked by email to an imported person), and whoever the channel never brought
 * into the project before becomes a member and is told so once, in a direct message. Someone
 * who left with `leave` (or whom the lead removed) is not brought back. Safe to repeat.
 */
export async function syncProjectMembers(deps: Deps, adapters: Adapters, projectId: string): Promise<MemberSyncReport> {
  const project = await deps.stores.retro.project(projectId, deps.clock.now());
  if (!project?.active) return { listed: 0, enrolled: 0 };
  const people = new Map<string, PersonRecord>();
  for (const channel of project.channels) {
    const adapter = adapters.get(channel.platform);
    if (!adapter?.listMembers) continue;
    const members = await listMembers(deps, adapter, channel.conversationRef);
    for (const person of await registerMembers(deps, adapter, project, members)) people.set(person.id, person);
  }
  const enrolled = await enrol(deps, project, [...people.values()]);
  deps.logger.info({ projectId, listed: people.size, enrolled }, "synced a project's channel members");
  return { listed: people.size, enrolled };
}

/** The channel's members; none when the platform refuses for good (Leerlus was removed from it). */
async function listMembers(deps: Deps, adapter: ChatAdapter, conversationRef: string): Promise<ChannelMember[]> {
  try {
    return (await adapter.listMembers?.(conversationRef)) ?? [];
  } catch (error) {
    if (!(error instanceof DeliveryError) || error.retryable) throw error;
    deps.logger.warn(
      { platform: adapter.platform, err: error.message.slice(0, 80) },
      "a channel's members could not be read",
    );
    return [];
  }
}

/** The channel's members as people of the project's organisation, each reachable in a direct message. */
async function registerMembers(
  deps: Deps,
  adapter: ChatAdapter,
  project: ProjectRecord,
  members: readonly ChannelMember[],
): Promise<PersonRecord[]> {
  const { directory } = deps.stores;
  const organisations = new Map<string, string | null>();
  const registered: PersonRecord[] = [];
  const keyOf = (member: ChannelMember) => erasedAccountKey(deps.secret, { platform: adapter.platform, ...member });
  const erased = await directory.erasedAmong(members.map(keyOf));
  for (const member of members) {
    let organisationId = organisations.get(member.tenantId);
    if (organisationId === undefined) {
      organisationId = await directory.organisationForTenant(adapter.platform, member.tenantId);
      organisations.set(member.tenantId, organisationId);
    }
    // A guest from another workspace or tenant in a shared channel is not this organisation's.
    if (organisationId !== project.organisationId) continue;
    // Someone who erased their data is not recreated from a list; only by talking to Leerlus again.
    if (
      erased.has(keyOf(member)) &&
      !(await directory.personByIdentity(adapter.platform, member.tenantId, member.platformUserId))
    ) {
      continue;
    }
    const identity = {
      organisationId,
      platform: adapter.platform,
      tenantId: member.tenantId,
      platformUserId: member.platformUserId,
      displayName: member.displayName,
      locale: member.locale ? toLocale(member.locale.slice(0, 2), "nl") : null,
      timezone: member.timezone ?? null,
      email: member.email?.toLowerCase() ?? null,
      roles: ["member" as const],
    };
    let person = await directory.registerIdentity({ ...identity, directRef: null });
    if (!person.directs.some((direct) => direct.platform === adapter.platform)) {
      const directRef = await openDirect(deps, adapter, member);
      if (directRef) person = await directory.registerIdentity({ ...identity, directRef });
    }
    registered.push(person);
  }
  return registered;
}

/** A direct conversation with the member; null when the platform refuses one for good. */
async function openDirect(deps: Deps, adapter: ChatAdapter, member: ChannelMember): Promise<string | null> {
  try {
    return await adapter.openDirect({ tenantId: member.tenantId, platformUserId: member.platformUserId });
  } catch (error) {
    // Busy or rate-limited: the whole sync is tried again later, and everything in it is keyed.
    if (!(error instanceof DeliveryError) || error.retryable) throw error;
    deps.logger.warn(
      { platform: adapter.platform, err: error.message.slice(0, 80) },
      "no direct conversation with a channel member",
    );
    return null;
  }
}

/** Enrols those the channel never brought in before; the ones not yet taking part join and are welcomed. */
async function enrol(deps: Deps, project: ProjectRecord, people: readonly PersonRecord[]): Promise<number> {
  if (people.length === 0) return 0;
  const taking = new Set(project.participants.map((participant) => participant.id));
  const byId = new Map(people.map((person) => [person.id, person]));
  const now = deps.clock.now();
  const { queued, joined } = await deps.unitOfWork(`members:${project.id}`, async (stores) => {
    const fresh = await stores.projects.enrol(project.id, [...byId.keys()]);
    const joining = fresh.flatMap((id) => (taking.has(id) ? [] : [byId.get(id) as PersonRecord]));
    for (const person of joining) await stores.projects.setRole(project.id, person.id, "member", true);
    const items = joining.flatMap((person): OutboxItem[] => {
      const address = person.directs[0];
      if (!address) return [];
      return [
        {
          // Keyed per project and person: a repeated sync never welcomes anyone twice.
          key: `members-welcome:${project.id}:${person.id}`,
          organisationId: project.organisationId,
          address,
          message: welcomeMessage(deps, person, project.name),
          notBefore: deliverAt(deps.holidays, now, person.timezone ?? project.timezone, project.quiet),
        },
      ];
    });
    return { queued: await stores.outbox.enqueue(items), joined: joining.length };
  });
  if (queued.length > 0) await deps.dispatcher.deliver(queued);
  return joined;
}

function welcomeMessage(deps: Deps, person: PersonRecord, projectName: string): Message {
  const t = (key: string, vars?: Record<string, string>) => deps.prompts.t(person.locale, key, vars);
  const title = t("members.welcome.title");
  const body = withUserText((slots) => t("members.welcome.body", slots), { project: projectName });
  return {
    fallback: `${title} ${t("members.welcome.body", { project: projectName })}`,
    blocks: [
      { type: "heading", text: [title] },
      { type: "paragraph", text: body },
    ],
  };
}

function errorCode(error: unknown): string {
  return error instanceof Error ? error.name : "unknown";
}
