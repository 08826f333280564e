// Bolt's InstallationStore over Leerlus' install store (PostgreSQL, encrypted at rest).
// Storing an install first tells the core (which creates the organisation and makes the
// installer its admin when the workspace is new; a re-install grants nothing), then keeps
// the tokens, then welcomes the installer in their DM.
import type { Installation, InstallationQuery, InstallationStore } from "@slack/bolt";
import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import { LeerlusError } from "../../src/domain/leerlus-error.ts";
import type { Message } from "../../src/domain/message.ts";
import type { InstallStore } from "../../src/ports/install-store.ts";
import { directRefFor } from "./conversation-ref.ts";

export type InstallHooks = {
  installs: InstallStore;
  dispatch(event: InboundEvent): Promise<Message[]>;
  /** What Slack knows of the installer, with the new bot token. */
  profile(teamId: string, userId: string, botToken: string): Promise<InboundEvent["profile"]>;
  /** Shows the core's welcome to the installer, with the new bot token. */
  welcome(teamId: string, userId: string, botToken: string, replies: Message[]): Promise<void>;
};

export function createInstallationStore(hooks: InstallHooks): InstallationStore {
  return {
    async storeInstallation(installation) {
      const teamId = installation.team?.id;
      // Enterprise Grid org-wide installs have no single workspace: not supported yet.
      if (!teamId || installation.isEnterpriseInstall)
        throw new LeerlusError("SLACK_INSTALL_UNSUPPORTED", "org-wide install");
      const userId = installation.user.id;
      const profile = installation.bot?.token ? await hooks.profile(teamId, userId, installation.bot.token) : undefined;
      const replies = await hooks.dispatch({
        type: "installed",
        platform: "slack",
        tenantId: teamId,
        platformUserId: userId,
        conversationRef: directRefFor(teamId, userId),
        directRef: directRefFor(teamId, userId),
        ...(profile ? { profile } : {}),
        ...(installation.team?.name ? { tenantName: installation.team.name } : {}),
      });
      if (!(await hooks.installs.save("slack", teamId, installation as unknown as Record<string, unknown>))) {
        throw new LeerlusError("SLACK_INSTALL_NOT_REGISTERED", "the workspace has no organisation");
      }
      if (installation.bot?.token) await hooks.welcome(teamId, userId, installation.bot.token, replies);
    },

    async fetchInstallation(query: InstallationQuery<boolean>) {
      const found = query.teamId ? await hooks.installs.find("slack", query.teamId) : null;
      if (!found) throw new LeerlusError("SLACK_NOT_INSTALLED", "no installation for this workspace");
      return found as unknown as Installation<"v2", false>;
    },

    async deleteInstallation(query: InstallationQuery<boolean>) {
      if (query.teamId) await hooks.installs.remove("slack", query.teamId);
    },
  };
}
