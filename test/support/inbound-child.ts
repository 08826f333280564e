// A Leerlus HTTP process for the inbound crash tests: the real Slack and Teams adapters and
// the real core on the test's database and Redis, pointed at the test's fake Slack API and
// fake Bot Framework. With HANG_ON_CORE=1 the first command or message that reaches the core
// prints CORE_CALLED and never returns, so the test can SIGKILL the process at that moment:
// after the platform got its acknowledgement, before anything was stored.
//   node --import tsx test/support/inbound-child.ts   (configured through the environment)
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { createSlackAdapter } from "../../adapters/slack/create-slack-adapter.ts";
import { createTeamsAdapter } from "../../adapters/teams/create-teams-adapter.ts";
import type { TeamsEndpoints } from "../../adapters/teams/teams-config.ts";
import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import { createDatabase } from "../../src/persistence/database.ts";
import { createInstallRepository } from "../../src/persistence/install-repository.ts";
import { createReceivedEventRepository } from "../../src/persistence/received-event-repository.ts";
import { createTokenCipher } from "../../src/persistence/token-cipher.ts";
import { systemClock } from "../../src/ports/clock.ts";
import { silentLogger } from "../../src/ports/logger.ts";
import { createPromptCatalog } from "../../src/prompts/prompt-catalog.ts";
import { createCore } from "../../src/runtime/core.ts";
import { createDutchHolidayCalendar } from "../../src/runtime/dutch-holiday-calendar.ts";
import { createHttpApp } from "../../src/runtime/http-app.ts";
import { handleEventSafely } from "../../src/use-cases/handle-event-safely.ts";
import { CHILD_SLACK_SECRET, CHILD_TEAMS_APP_ID } from "./inbound-child-settings.ts";

const CHILD_OUTBOUND_TOKEN = "fake-outbound-token";

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`inbound-child: ${name} is not set`);
  return value;
};

const db = createDatabase(env("DATABASE_URL"), 4);
const prompts = createPromptCatalog(path.resolve(import.meta.dirname, "../../prompts"));
const core = createCore({
  db,
  redisUrl: env("REDIS_URL"),
  queuePrefix: env("QUEUE_PREFIX"),
  prompts,
  clock: systemClock,
  holidays: createDutchHolidayCalendar(),
  logger: silentLogger,
  secret: "inbound-child-secret-0123456789abcdef",
  publicUrl: "http://127.0.0.1:0",
});
// Short leases: a killed process's claims lapse within the test's patience.
const inbound = { leaseMs: Number(env("INBOUND_LEASE_MS")), pollMs: Number(env("INBOUND_POLL_MS")) };
const text = (locale: "nl" | "en", key: string, vars?: Record<string, string | number>) => prompts.t(locale, key, vars);
const slack = createSlackAdapter({
  signingSecret: CHILD_SLACK_SECRET,
  botToken: "xoxb-child",
  appToken: undefined,
  oauth: undefined,
  apiUrl: env("SLACK_API_URL"),
  publicUrl: "http://127.0.0.1:0",
  installs: createInstallRepository(db, createTokenCipher(Buffer.alloc(32, 7).toString("base64"))),
  receivedEvents: createReceivedEventRepository(db),
  inbound,
  homeView: async () => null,
  text,
  botIdentity: { botId: "BLEERLUS", botUserId: "UBOTLEERLUS" },
});
const teams = createTeamsAdapter({
  appId: CHILD_TEAMS_APP_ID,
  appPassword: "not-used-in-tests",
  tenantId: undefined,
  appType: "MultiTenant",
  serviceUrl: env("TEAMS_SERVICE_URL"),
  endpoints: JSON.parse(env("TEAMS_ENDPOINTS")) as TeamsEndpoints,
  outboundToken: async () => CHILD_OUTBOUND_TOKEN,
  text,
  receivedEvents: createReceivedEventRepository(db),
  inbound,
});

let hung = false;
const handler = (event: InboundEvent) => {
  if (process.env.HANG_ON_CORE === "1" && !hung && (event.type === "command" || event.type === "message")) {
    hung = true;
    process.stdout.write(`CORE_CALLED ${event.platform}\n`);
    return new Promise<never>(() => {});
  }
  return handleEventSafely(core.deps, event);
};
await slack.adapter.start(handler);
await teams.adapter.start(handler);
const app = createHttpApp({
  routers: [teams.router],
  rawRouters: [slack.router],
  readiness: [],
  metrics: async () => "",
  logger: silentLogger,
});
const server: Server = app.listen(0, "127.0.0.1");
await new Promise<void>((resolve) => server.once("listening", () => resolve()));
process.stdout.write(`LISTENING ${(server.address() as AddressInfo).port}\n`);
process.once("SIGTERM", () => {
  server.closeAllConnections();
  server.close();
  void Promise.all([slack.adapter.stop(), teams.adapter.stop()])
    .then(() => core.close())
    .then(() => db.destroy())
    .finally(() => process.exit(0));
});
