// Slack as a ChatAdapter, through Bolt: HTTP (POST /slack/events, signed requests) with an
// optional OAuth install flow, or Socket Mode when an app token is set.
import { App, ExpressReceiver, type Receiver, SocketModeReceiver, webApi } from "@slack/bolt";
import express, { Router } from "express";
import { LeerlusError } from "../../src/domain/leerlus-error.ts";
import type { Locale } from "../../src/domain/locale.ts";
import { type ChatAdapter, DeliveryError, type EventHandler } from "../../src/ports/chat-adapter.ts";
import { silentLogger } from "../../src/ports/logger.ts";
import { createInProcessReplayMemory } from "../../src/ports/replay-memory.ts";
import { createInboundRunner } from "../../src/use-cases/adapter-entry.ts";
import { boltLogger } from "./bolt-logger.ts";
import { recordBeforeBolt } from "./durable-receiver.ts";
import { createProfileCache } from "./profile-cache.ts";
import { renderMessages, type SlackCopy } from "./render-blocks.ts";
import type { SlackAdapterConfig } from "./slack-config.ts";
import { createSlackDelivery, webClientOptions } from "./slack-delivery.ts";
import { registerInbound } from "./slack-inbound.ts";
import { createInstallationStore } from "./slack-installation.ts";
import { createSlackMembers } from "./slack-members.ts";
import { errorName } from "./slack-people.ts";
import { slackRequestGuard } from "./slack-request-guard.ts";

/** Bot scopes, as in manifest.yml: asked for on every OAuth install. */
export const SLACK_BOT_SCOPES = [
  "channels:join",
  "channels:read",
  "chat:write",
  "commands",
  "groups:read",
  "im:history",
  "im:write",
  "users:read",
  "users:read.email",
];

export type SlackAdapter = { adapter: ChatAdapter; router: Router };

export function createSlackAdapter(config: SlackAdapterConfig): SlackAdapter {
  const logger = (config.logger ?? silentLogger).child({ adapter: "slack" });
  let handler: EventHandler | undefined;
  const copy = (locale: Locale): SlackCopy => ({
    answer: config.text(locale, "slack.form.answer"),
    close: config.text(locale, "slack.form.close"),
    truncated: config.text(locale, "slack.truncated"),
    continued: config.text(locale, "slack.continued"),
  });
  const profiles = createProfileCache();
  const singleWorkspace = !config.oauth;
  if (singleWorkspace && !config.botToken) {
    throw new LeerlusError(
      "SLACK_CONFIG_INVALID",
      "set SLACK_BOT_TOKEN, or SLACK_CLIENT_ID and its secrets for OAuth installs",
    );
  }
  if (config.appToken && !config.botToken) {
    throw new LeerlusError("SLACK_CONFIG_INVALID", "Socket Mode (SLACK_APP_TOKEN) needs SLACK_BOT_TOKEN");
  }
  const dispatch: EventHandler = async (event) => (handler ? handler(event) : []);

  const delivery = createSlackDelivery({
    apiUrl: config.apiUrl,
    profiles,
    copy,
    async tokenFor(teamId) {
      if (singleWorkspace) return config.botToken as string;
      const installation = (await config.installs.find("slack", teamId)) as { bot?: { token?: string } } | null;
      const token = installation?.bot?.token;
      if (!token) throw new DeliveryError("SLACK_NOT_INSTALLED: no bot token for this workspace", { retryable: false });
      return token;
    },
  });

  const members = createSlackMembers({ apiUrl: config.apiUrl, tokenFor: (teamId) => delivery.tokenFor(teamId) });

  const installationStore = createInstallationStore({
    installs: config.installs,
    dispatch,
    profile: (teamId, userId, botToken) =>
      profiles.profile(new webApi.WebClient(botToken, webClientOptions(config.apiUrl)), teamId, userId),
    async welcome(teamId, userId, botToken, replies) {
      const client = new webApi.WebClient(botToken, webClientOptions(config.apiUrl));
      const locale = await profiles.locale(client, teamId, userId);
      for (const reply of replies) {
        for (const payload of renderMessages(reply, copy(locale))) {
          await client.chat.postMessage({ channel: userId, ...payload }).catch((error) => {
            logger.warn({ code: "SLACK_WELCOME_FAILED", err: errorName(error) }, "could not welcome the installer");
          });
        }
      }
    },
  });

  const router = Router();
  const clientOptions = webClientOptions(config.apiUrl);
  const bolt = boltLogger(logger);
  let app: App;
  let receiver: Receiver;
  if (config.appToken) {
    // Made here rather than by Bolt, so requests are recorded in front of it (recordBeforeBolt).
    receiver = new SocketModeReceiver({ appToken: config.appToken, logger: bolt, installerOptions: { clientOptions } });
    app = new App({ receiver, token: config.botToken, clientOptions, logger: bolt });
  } else {
    // Before Bolt's own route on the same router: signature, payload shape and replays first.
    router.post(
      "/slack/events",
      slackRequestGuard({
        signingSecret: config.signingSecret,
        replayMemory: config.replayMemory ?? createInProcessReplayMemory(),
        logger,
      }),
    );
    receiver = new ExpressReceiver({
      signingSecret: config.signingSecret,
      endpoints: "/slack/events",
      // Acknowledge before the listeners finish: Slack gets its 200 in milliseconds.
      processBeforeResponse: false,
      logger: bolt,
      router,
      // Bolt mounts its router on this app too; Leerlus serves the router from its own app.
      app: express(),
      ...(config.oauth
        ? {
            clientId: config.oauth.clientId,
            clientSecret: config.oauth.clientSecret,
            stateSecret: config.oauth.stateSecret,
            scopes: SLACK_BOT_SCOPES,
            redirectUri: `${config.publicUrl}/slack/oauth_redirect`,
            installationStore,
            installerOptions: {
              directInstall: true,
              redirectUriPath: "/slack/oauth_redirect",
              clientOptions,
              callbackOptions: {
                success: (installation, _options, _request, response) => {
                  const workspace = installation.team?.name ?? "Slack";
                  page(response, 200, [
                    config.text("nl", "slack.install.success", { workspace }),
                    config.text("en", "slack.install.success", { workspace }),
                  ]);
                },
                failure: (_error, _options, _request, response) => {
                  page(response, 400, [
                    config.text("nl", "slack.install.failure"),
                    config.text("en", "slack.install.failure"),
                  ]);
                },
              },
            },
          }
        : {}),
    });
    app = new App({
      receiver,
      ...(config.oauth ? {} : { token: config.botToken, ...(config.botIdentity ?? {}) }),
      clientOptions,
      logger: bolt,
    });
  }
  app.error(async (error) => {
    logger.warn({ code: "SLACK_LISTENER_FAILED", err: errorName(error) }, "a Slack listener failed");
  });
  const runner = createInboundRunner({
    platform: "slack",
    store: config.receivedEvents,
    logger,
    ...(config.inbound ? { settings: config.inbound } : {}),
  });
  const { replay, acks } = recordBeforeBolt(receiver, app, runner);
  registerInbound(app, {
    acks,
    handler: () => handler,
    copy,
    inviteText: (locale) => config.text(locale, "slack.setup.invite"),
    profiles,
    installs: config.installs,
    homeView: config.homeView,
    singleWorkspace,
    onUninstalled: () => delivery.reset(),
    logger,
  });

  const adapter: ChatAdapter = {
    platform: "slack",
    async start(onEvent) {
      handler = onEvent;
      // Requests a process left unhandled (it died, or the core failed) are taken up here.
      runner.start(replay);
      if (config.appToken) await app.start();
    },
    async stop() {
      if (config.appToken) await app.stop();
      await runner.stop();
      handler = undefined;
    },
    send: (conversationRef, message) => delivery.send(conversationRef, message),
    update: (sent, message) => delivery.update(sent, message),
    openDirect: (userRef) => delivery.openDirect(userRef),
    listMembers: (conversationRef) => members.listMembers(conversationRef),
  };
  return { adapter, router };
}

function page(
  response: { writeHead(status: number, headers: Record<string, string>): unknown; end(body: string): unknown },
  status: number,
  lines: string[],
): void {
  const html = (text: string) =>
    text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
  response.writeHead(status, { "content-type": "text/html; charset=utf-8" });
  response.end(
    `<!doctype html><html lang="nl"><meta charset="utf-8"><title>Leerlus</title><main>${lines
      .map((line) => `<p>${html(line)}</p>`)
      .join("")}</main></html>`,
  );
}
