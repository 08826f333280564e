// A Teams channel's members for the core: the team's roster, paged (GET
// /v3/conversations/{id}/pagedmembers through TeamsInfo), with names and email or UPN. It also
// remembers each person's Teams id (29:…), which a one-to-one chat is opened with: the Azure
// object id the core knows people by is accepted there only where the app is installed personally.
import { type ConversationReference, type TeamsChannelAccount, TeamsInfo } from "botbuilder";
import { type ChannelMember, DeliveryError } from "../../src/ports/chat-adapter.ts";
import type { LeerlusCloudAdapter } from "./bot-framework.ts";
import { parseReference } from "./conversation-ref.ts";
import { toDeliveryError } from "./delivery-errors.ts";

/** Teams gives at most 500 a page. */
const PAGE_SIZE = 200;
const MAX_REMEMBERED = 50_000;

export type TeamsRosterInput = {
  cloud: LeerlusCloudAdapter;
  appId: string;
  /** Learns where each tenant's Bot Connector is, for opening chats later. */
  onServiceUrl(tenantId: string, serviceUrl: string): void;
};

export function createTeamsRoster(input: TeamsRosterInput) {
  const teamsIds = new Map<string, string>();

  function remember(tenantId: string, platformUserId: string, teamsId: string): void {
    if (platformUserId === teamsId) return;
    if (teamsIds.size >= MAX_REMEMBERED) teamsIds.delete(teamsIds.keys().next().value as string);
    teamsIds.set(`${tenantId}|${platformUserId}`, teamsId);
  }

  async function listMembers(conversationRef: string): Promise<ChannelMember[]> {
    const reference = parseReference(conversationRef);
    if (!reference) throw new DeliveryError("TEAMS_CONVERSATION_REF_INVALID", { retryable: false });
    // A personal chat has no team behind it.
    if (reference.conversation?.conversationType === "personal") return [];
    const tenantId = reference.conversation?.tenantId;
    if (tenantId && reference.serviceUrl) input.onServiceUrl(tenantId, reference.serviceUrl);
    const roster: TeamsChannelAccount[] = [];
    try {
      await input.cloud.continueConversationAsync(
        input.appId,
        reference as Partial<ConversationReference>,
        async (context) => {
          let token: string | undefined;
          do {
            const page = await TeamsInfo.getPagedMembers(context, PAGE_SIZE, token);
            roster.push(...(page.members ?? []));
            token = page.continuationToken || undefined;
          } while (token);
        },
      );
    } catch (error) {
      throw toDeliveryError(error, "read the team's members");
    }
    return roster.flatMap((account) => {
      const memberTenant = account.tenantId ?? tenantId;
      if (!memberTenant || account.userRole === "anonymous") return [];
      const platformUserId = account.aadObjectId ?? account.id;
      remember(memberTenant, platformUserId, account.id);
      const email = emailOf(account);
      return [
        {
          tenantId: memberTenant,
          platformUserId,
          displayName: account.name || platformUserId,
          ...(email ? { email } : {}),
        },
      ];
    });
  }

  return {
    listMembers,
    /** The id to open a one-to-one chat with: the Teams id from the roster when known. */
    teamsIdOf: (tenantId: string, platformUserId: string) =>
      teamsIds.get(`${tenantId}|${platformUserId}`) ?? platformUserId,
  };
}

/** The email, else the sign-in name when it is one (a guest's UPN is not: it carries #EXT#). */
function emailOf(account: TeamsChannelAccount): string | undefined {
  if (account.email) return account.email;
  const upn = account.userPrincipalName;
  return upn?.includes("@") && !upn.includes("#EXT#") ? upn : undefined;
}
