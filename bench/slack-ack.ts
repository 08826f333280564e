// How fast Slack gets its acknowledgement from Leerlus under load, against a bare Bolt app
// with empty handlers measured in the same run. Leerlus records each request in PostgreSQL
// before it acknowledges it and then runs the core (database, users.info, response_url) in
// the same process, so this shows what both cost the acknowledgements. Every request is a
// new one (a trigger id of its own, signed afresh). Target: Leerlus p99 ≤ 1.5 × bare Bolt p99.
//   node --import tsx bench/slack-ack.ts   (PostgreSQL and Redis as for the tests)
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { App, ExpressReceiver } from "@slack/bolt";
import express from "express";
import pg from "pg";
import { createSlackAdapter } from "../adapters/slack/create-slack-adapter.ts";
import { createInstallRepository } from "../src/persistence/install-repository.ts";
import { migrateDatabase } from "../src/persistence/migrate.ts";
import { createPrismaClient } from "../src/persistence/prisma-client.ts";
import { createReceivedEventRepository } from "../src/persistence/received-event-repository.ts";
import { createTokenCipher } from "../src/persistence/token-cipher.ts";
import { systemClock } from "../src/ports/clock.ts";
import { silentLogger } from "../src/ports/logger.ts";
import { createPromptCatalog } from "../src/prompts/prompt-catalog.ts";
import { createCore } from "../src/runtime/core.ts";
import { createHttpApp } from "../src/runtime/http-app.ts";
import { handleEvent } from "../src/use-cases/handle-event.ts";
import { homeViewFor } from "../src/use-cases/home-view.ts";
import { FORM, interactiveBody, slashCommandBody } from "../test/support/slack-requests.ts";
import { startSlackApiProcess } from "./slack-api-process.ts";

const SECRET = "bench-signing-secret";
const TEAM = "T0BENCH";
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const here = path.dirname(new URL(import.meta.url).pathname);

async function listen(app: express.Express): Promise<{ server: Server; url: string }> {
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events` };
}

function requests(responseUrl: string) {
  // TRIGGER becomes a new trigger id for every request sent (see slack-ack-load.ts).
  const users = Array.from({ length: 20 }, (_, i) => `UBENCH${i}`);
  return users.flatMap((userId, i) => {
    const command = slashCommandBody({
      teamId: TEAM,
      userId,
      channelId: "C0BENCH",
      text: "help",
      responseUrl,
      triggerId: "TRIGGER",
    });
    const action = interactiveBody({
      type: "block_actions",
      team: { id: TEAM },
      user: { id: userId, team_id: TEAM },
      api_app_id: "ABENCH",
      trigger_id: "TRIGGER",
      response_url: responseUrl,
      channel: { id: "C0BENCH" },
      container: { type: "message", message_ts: "1.1", channel_id: "C0BENCH" },
      message: { ts: "1.1", type: "message", text: "x" },
      actions: [{ type: "button", action_id: "bench.press", block_id: "b", value: String(i), action_ts: "1" }],
    });
    return [
      { body: command, contentType: FORM },
      { body: action, contentType: FORM },
    ];
  });
}

/** CPU milliseconds this process spent since `since`. */
function cpuMs(since: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1000;
}

type Figures = { p50: number; p99: number; mean: number; requests: number; non2xx: number; errors: number };

async function load(url: string, responseUrl: string): Promise<Figures> {
  const input = JSON.stringify({
    url,
    duration: DURATION,
    connections: CONNECTIONS,
    secret: SECRET,
    requests: requests(responseUrl),
  });
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", path.join(here, "slack-ack-load.ts"), input],
    { maxBuffer: 1 << 24 },
  );
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as Figures;
}

async function main(): Promise<void> {
  const fake = await startSlackApiProcess({
    team: { id: TEAM, name: "Bench" },
    users: Array.from({ length: 20 }, (_, i) => `UBENCH${i}`),
  });
  const database = `leerlus_bench_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
  const dbUrl = new URL(ADMIN_URL);
  dbUrl.pathname = `/${database}`;
  await migrateDatabase(dbUrl.toString());
  const db = createPrismaClient(dbUrl.toString(), 10);
  const inboundDb = createPrismaClient(dbUrl.toString(), 4);
  const prompts = createPromptCatalog(path.resolve(here, "../prompts"));
  const core = createCore({
    db,
    redisUrl: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379",
    queuePrefix: `bench${randomBytes(3).toString("hex")}`,
    prompts,
    clock: systemClock,
    logger: silentLogger,
    secret: "bench-secret-bench-secret-bench-secret!",
    publicUrl: "http://127.0.0.1",
  } as Parameters<typeof createCore>[0]);
  const slack = createSlackAdapter({
    signingSecret: SECRET,
    botToken: "xoxb-bench",
    appToken: undefined,
    oauth: undefined,
    apiUrl: fake.apiUrl,
    publicUrl: "http://127.0.0.1",
    installs: createInstallRepository(db, createTokenCipher(randomBytes(32).toString("base64"))),
    // As `serve` does: recording on connections of its own.
    receivedEvents: createReceivedEventRepository(db, { recordOn: inboundDb }),
    homeView: (who) => homeViewFor(core.deps, { platform: "slack", ...who }),
    text: (locale, key, vars) => prompts.t(locale, key, vars),
    botIdentity: { botId: "BBENCH", botUserId: "UBOTBENCH" },
  });
  await slack.adapter.start((event) => handleEvent(core.deps, event));
  const leerlus = await listen(
    createHttpApp({
      routers: [],
      rawRouters: [slack.router],
      readiness: [],
      metrics: async () => "",
      logger: silentLogger,
    }),
  );

  const bareReceiver = new ExpressReceiver({ signingSecret: SECRET, processBeforeResponse: false, app: express() });
  const bareApp = new App({
    receiver: bareReceiver,
    token: "xoxb-bench",
    botId: "BBENCH",
    botUserId: "UBOTBENCH",
    clientOptions: { slackApiUrl: fake.apiUrl },
  });
  bareApp.command("/leerlus", async ({ ack }) => ack());
  bareApp.action(/.*/, async ({ ack }) => ack());
  const bare = await listen(bareReceiver.app as express.Express);

  const responseUrl = fake.responseUrl;
  try {
    // A short warm-up each, then the measured runs, bare first.
    const warm = Math.max(2, Math.round(DURATION / 5));
    await promisify(execFile)(process.execPath, [
      "--import",
      "tsx",
      path.join(here, "slack-ack-load.ts"),
      JSON.stringify({
        url: leerlus.url,
        duration: warm,
        connections: CONNECTIONS,
        secret: SECRET,
        requests: requests(responseUrl),
      }),
    ]);
    const bareCpu = process.cpuUsage();
    const bareFigures = await load(bare.url, responseUrl);
    const bareCpuMs = cpuMs(bareCpu);
    const leerlusCpu = process.cpuUsage();
    const leerlusFigures = await load(leerlus.url, responseUrl);
    const loadEnded = Date.now();
    // What was acknowledged is handled after the acknowledgement: its work belongs to the run.
    const recorded = new pg.Client({ connectionString: dbUrl.toString() });
    await recorded.connect();
    while ((await recorded.query(`SELECT 1 FROM "ReceivedEvent" WHERE status = 'pending' LIMIT 1`)).rowCount) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const handledAfterMs = Date.now() - loadEnded;
    const leerlusCpuMs = cpuMs(leerlusCpu);
    await recorded.end();
    const ratio = leerlusFigures.p99 / Math.max(bareFigures.p99, 0.001);
    const row = (name: string, f: Figures) =>
      `${name.padEnd(10)} p50 ${String(f.p50).padStart(4)} ms   p99 ${String(f.p99).padStart(4)} ms   ` +
      `mean ${f.mean.toFixed(2)} ms   requests ${f.requests}   non-2xx ${f.non2xx}   errors ${f.errors}`;
    console.log(
      `Slack acknowledgement latency, ${CONNECTIONS} connections, ${DURATION} s each (slash commands + block_actions)`,
    );
    console.log(row("bare Bolt", bareFigures));
    console.log(row("Leerlus", leerlusFigures));
    console.log(
      `ratio p99 Leerlus / bare Bolt: ${ratio.toFixed(2)} (target ≤ 1.5) ${ratio <= 1.5 ? "OK" : "OVER TARGET"}`,
    );
    const perRequest = (ms: number, f: Figures) => `${((ms * 1000) / Math.max(1, f.requests)).toFixed(0)} µs`;
    console.log(
      `CPU of the serving process per request: bare Bolt ${perRequest(bareCpuMs, bareFigures)}, Leerlus ${perRequest(leerlusCpuMs, leerlusFigures)} ` +
        `(recording and handling included; the last request was handled ${(handledAfterMs / 1000).toFixed(1)} s after the load ended)`,
    );
  } finally {
    await slack.adapter.stop();
    leerlus.server.closeAllConnections();
    bare.server.closeAllConnections();
    leerlus.server.close();
    bare.server.close();
    await core.close();
    await db.$disconnect();
    await inboundDb.$disconnect();
    await fake.close();
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
  }
}

await main();
