import type { Locale } from "../../src/domain/locale.ts";
import type { InboundRunnerSettings } from "../../src/ports/inbound-runner.ts";
import type { InstallStore } from "../../src/ports/install-store.ts";
import type { Logger } from "../../src/ports/logger.ts";
import type { ReceivedEventStore } from "../../src/ports/received-event-store.ts";
import type { ReplayMemory } from "../../src/ports/replay-memory.ts";
import type { HomeViewer } from "./slack-inbound.ts";

export type SlackAdapterConfig = {
  signingSecret: string;
  /** Single workspace: the bot token from the app's settings. */
  botToken: string | undefined;
  /** Socket Mode (no public URL needed): the app-level token. */
  appToken: string | undefined;
  /** OAuth installs in many workspaces. */
  oauth: { clientId: string; clientSecret: string; stateSecret: string } | undefined;
  /** Tests point the Web API client at a local fake, e.g. http://127.0.0.1:1234/api/. */
  apiUrl: string | undefined;
  /** Where Slack sends installers back to (PUBLIC_URL + /slack/oauth_redirect). */
  publicUrl: string;
  installs: InstallStore;
  /** Requests are recorded here before they are acknowledged, and handled from here (see durable-receiver.ts). */
  receivedEvents: ReceivedEventStore;
  /** Lease, polling and attempts of their handling; defaults suit production. */
  inbound?: InboundRunnerSettings;
  homeView: HomeViewer;
  text(locale: Locale, key: string, vars?: Record<string, string | number>): string;
  /** Known bot ids skip Bolt's auth.test on the first request (single workspace only). */
  botIdentity?: { botId: string; botUserId: string };
  logger?: Logger;
  /**
   * Signatures of requests already acted on (five-minute replay window). Default: this
   * process's memory; `serve` passes a Redis one so copies sent to another process count too.
   */
  replayMemory?: ReplayMemory;
};
