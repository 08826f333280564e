// What the Teams adapter needs from the composition root. Only this folder knows botbuilder.

import type { Locale } from "../../src/domain/locale.ts";
import type { InboundRunnerSettings } from "../../src/ports/inbound-runner.ts";
import type { Logger } from "../../src/ports/logger.ts";
import type { ReceivedEventStore } from "../../src/ports/received-event-store.ts";

/**
 * Where Microsoft's authentication lives. Production leaves this unset (botbuilder's public
 * cloud defaults); tests point every URL at local stand-ins, because botbuilder takes all of
 * them as intended as soon as one is set (see shared/PLATFORM.md).
 */
export type TeamsEndpoints = {
  /** OpenID configuration whose jwks_uri signs the channel's tokens. */
  openIdMetadataUrl: string;
  /** `iss` of the channel's tokens; https://api.botframework.com in Microsoft's cloud. */
  tokenIssuer: string;
  /** Where the bot logs in for its own outbound token. */
  loginUrl: string;
  /** The Bot Framework token service (OAuth), unused by Leerlus but required as a set. */
  oauthUrl: string;
  /** Audience of the bot's outbound token. */
  oauthScope: string;
};

export type TeamsAdapterConfig = {
  appId: string;
  appPassword: string;
  /** The Azure AD tenant of the bot's app registration; required for SingleTenant. */
  tenantId: string | undefined;
  appType: "MultiTenant" | "SingleTenant";
  /**
   * Bot Connector used to open a direct conversation with someone Leerlus has not yet heard
   * from in this process. Default: Microsoft's global Teams service URL.
   */
  serviceUrl?: string;
  endpoints?: TeamsEndpoints;
  /**
   * Microsoft's local test client (the Agents Playground): no app id, no tokens either way, and
   * only activities from this machine whose serviceUrl is on this machine (see local-anonymous.ts).
   */
  localAnonymous?: boolean;
  /**
   * Tests only: the bot's outbound token comes from here instead of a Microsoft login, so the
   * real CloudAdapter can talk to a local fake Bot Connector.
   */
  outboundToken?: () => Promise<string>;
  /** Adapter copy (`teams.<key>` in prompts/), in the reader's language. */
  text: (locale: Locale, key: string, vars?: Record<string, string | number>) => string;
  /** Language of proactive messages' adapter copy (split notes), when the adapter cannot know the reader's. */
  defaultLocale?: Locale;
  logger?: Logger;
  /**
   * Activities are recorded here before Teams gets its answer and handled from here, so a
   * crash loses none, and one Teams delivers again (after a timeout on its side) counts once.
   */
  receivedEvents: ReceivedEventStore;
  /** Lease, polling and attempts of their handling; defaults suit production. */
  inbound?: InboundRunnerSettings;
};

/** Microsoft's global Teams Bot Connector; activities carry the regional one, which wins. */
export const DEFAULT_TEAMS_SERVICE_URL = "https://smba.trafficmanager.net/teams/";
