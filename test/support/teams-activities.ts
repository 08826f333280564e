// Teams activities as Microsoft sends them, and a Leerlus HTTP server to post them to.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createTeamsAdapter, type TeamsAdapter } from "../../adapters/teams/create-teams-adapter.ts";
import type { TeamsAdapterConfig } from "../../adapters/teams/teams-config.ts";
import type { Db } from "../../src/persistence/database.ts";
import { createReceivedEventRepository } from "../../src/persistence/received-event-repository.ts";
import { silentLogger } from "../../src/ports/logger.ts";
import { createHttpApp } from "../../src/runtime/http-app.ts";
import { type FakeBotFramework, OUTBOUND_TOKEN } from "./fake-bot-framework.ts";
import { countWhere } from "./fixtures.ts";
import { eventually } from "./test-clock.ts";
import { prompts } from "./test-core.ts";

export const APP_ID = "00000000-0000-4000-8000-00000000b07a";
export const BOT_ID = `28:${APP_ID}`;

export type TeamsPerson = { aadObjectId: string; name: string; tenantId: string; locale?: string };

/** The adapter on the fake Bot Framework, its activities recorded in `db`. */
export function teamsConfig(
  fake: FakeBotFramework,
  db: Db,
  overrides: Partial<TeamsAdapterConfig> = {},
): TeamsAdapterConfig {
  return {
    appId: APP_ID,
    appPassword: "not-used-in-tests",
    tenantId: undefined,
    appType: "MultiTenant",
    serviceUrl: fake.serviceUrl,
    endpoints: fake.endpoints,
    outboundToken: async () => OUTBOUND_TOKEN,
    text: (locale, key, vars) => prompts.t(locale, key, vars),
    receivedEvents: createReceivedEventRepository(db),
    ...overrides,
  };
}

export type TeamsServer = { teams: TeamsAdapter; url: string; close(): Promise<void> };

export async function startTeamsServer(config: TeamsAdapterConfig): Promise<TeamsServer> {
  const teams = createTeamsAdapter(config);
  const app = createHttpApp({ routers: [teams.router], readiness: [], metrics: async () => "", logger: silentLogger });
  const server: Server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  return {
    teams,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let sequence = 0;

function envelope(fake: FakeBotFramework, person: TeamsPerson, conversation: Record<string, unknown>) {
  return {
    id: `in-${++sequence}`,
    channelId: "msteams",
    serviceUrl: fake.serviceUrl,
    timestamp: new Date().toISOString(),
    locale: person.locale ?? "nl-NL",
    from: { id: `29:${person.aadObjectId}`, aadObjectId: person.aadObjectId, name: person.name },
    recipient: { id: BOT_ID, name: "Leerlus" },
    conversation: { tenantId: person.tenantId, ...conversation },
    channelData: { tenant: { id: person.tenantId } },
  };
}

export function personalConversation(person: TeamsPerson) {
  return { id: `a:personal-${person.aadObjectId}`, conversationType: "personal" };
}

export function channelConversation(teamId: string) {
  return { id: `19:${teamId}@thread.tacv2`, conversationType: "channel", isGroup: true };
}

/** A post's thread in a channel: Teams names it by the channel and the post's first message. */
export function channelPost(teamId: string, messageId: string) {
  return { ...channelConversation(teamId), id: `${channelConversation(teamId).id};messageid=${messageId}` };
}

export function installActivity(
  fake: FakeBotFramework,
  person: TeamsPerson,
  conversation: Record<string, unknown>,
  teamId?: string,
) {
  const base = envelope(fake, person, conversation);
  return {
    ...base,
    type: "installationUpdate",
    action: "add",
    channelData: { ...base.channelData, ...(teamId ? { team: { id: `19:${teamId}@thread.tacv2` } } : {}) },
  };
}

export function messageActivity(
  fake: FakeBotFramework,
  person: TeamsPerson,
  conversation: Record<string, unknown>,
  text: string,
) {
  const mention = text.startsWith("<at>");
  return {
    ...envelope(fake, person, conversation),
    type: "message",
    text,
    ...(mention
      ? { entities: [{ type: "mention", text: "<at>Leerlus</at>", mentioned: { id: BOT_ID, name: "Leerlus" } }] }
      : {}),
  };
}

/** What Teams sends when someone presses an Action.Execute button: its data with the inputs merged in. */
export function executeActivity(
  fake: FakeBotFramework,
  person: TeamsPerson,
  conversation: Record<string, unknown>,
  action: { verb: string; data: Record<string, unknown> },
  replyToId = "act-source",
) {
  return {
    ...envelope(fake, person, conversation),
    type: "invoke",
    name: "adaptiveCard/action",
    replyToId,
    value: { action: { type: "Action.Execute", verb: action.verb, data: action.data }, trigger: "manual" },
  };
}

/**
 * Posts an activity and waits until Leerlus has handled it: Teams gets its 200 once the
 * activity is recorded, and the core runs right after.
 */
export async function postHandled(db: Db, url: string, activity: unknown, token?: string): Promise<Response> {
  const response = await postActivity(url, activity, token);
  await eventually(async () => (await countWhere(db, "ReceivedEvent", { status: "pending" })) === 0);
  return response;
}

export async function postActivity(url: string, activity: unknown, token?: string): Promise<Response> {
  return fetch(`${url}/api/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof activity === "string" ? activity : JSON.stringify(activity),
  });
}
