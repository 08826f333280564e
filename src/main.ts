// Composition root and CLI: the only file that imports adapters/.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Router } from "express";
import { createSmtpMailer } from "../adapters/mail/smtp-mailer.ts";
import { createSlackAdapter } from "../adapters/slack/create-slack-adapter.ts";
import { slackManifestYaml } from "../adapters/slack/slack-manifest.ts";
import { slackSettings } from "../adapters/slack/slack-settings.ts";
import { createTeamsAdapter } from "../adapters/teams/create-teams-adapter.ts";
import { buildTeamsPackage } from "../adapters/teams/teams-package.ts";
import { createTrackerClients } from "../adapters/trackers/create-tracker-clients.ts";
import { createWebAdapter } from "../adapters/web/create-web-adapter.ts";
import { createDigestRouter } from "../adapters/web/digest-page.ts";
import { createLegalPagesRouter } from "../adapters/web/legal-pages.ts";
import { createPrivacyExportRouter } from "../adapters/web/privacy-export.ts";
import { asksForHelp, commandHelp, packageVersion } from "./cli/command-help.ts";
import { DATA_COMMANDS, runDataCommand } from "./cli/data-cli.ts";
import { DAYS_OFF_USAGE, daysOffCommand } from "./cli/days-off-command.ts";
import { DIGEST_USAGE, digestCommand } from "./cli/digest-command.ts";
import { LESSONS_USAGE } from "./cli/lessons-command.ts";
import { privacyCommand } from "./cli/privacy-command.ts";
import { type Config, ConfigError, loadConfig } from "./config.ts";
import { createDatabase } from "./persistence/database.ts";
import { seedDemo } from "./persistence/demo-seed.ts";
import { createInstallRepository } from "./persistence/install-repository.ts";
import { createPrivacyStatementRepository } from "./persistence/privacy-statement-repository.ts";
import { createReceivedEventRepository } from "./persistence/received-event-repository.ts";
import { createTokenCipher, deriveKeyBase64 } from "./persistence/token-cipher.ts";
import { createWebDirectoryRepository } from "./persistence/web-directory-repository.ts";
import { createWebMessageRepository } from "./persistence/web-message-repository.ts";
import type { ChatAdapter } from "./ports/chat-adapter.ts";
import type { Logger } from "./ports/logger.ts";
import { createPromptCatalog } from "./prompts/prompt-catalog.ts";
import { createProcessCore } from "./runtime/core.ts";
import { startDemoPersonas } from "./runtime/demo-personas.ts";
import { createDigestServices } from "./runtime/digest-services.ts";
import { createHealthApp } from "./runtime/health-app.ts";
import { createHttpApp } from "./runtime/http-app.ts";
import { openDatabase, openInfrastructure } from "./runtime/infrastructure.ts";
import { createLogger } from "./runtime/logger.ts";
import { measuredAdapter } from "./runtime/measured-adapter.ts";
import { createMetricsCollector } from "./runtime/metrics.ts";
import { closeAll, closeServer, listen, printDemoWelcome, waitForSignal } from "./runtime/process-lifecycle.ts";
import { createProcessMetrics } from "./runtime/process-metrics.ts";
import { createQueueDashboard } from "./runtime/queue-dashboard.ts";
import { databaseReadiness, redisReadiness } from "./runtime/readiness.ts";
import { deriveKey, resolveSecret } from "./runtime/secrets.ts";
import { sentMessageUpdater } from "./runtime/sent-messages.ts";
import { startGuestMailLoop } from "./scheduler/guest-mail-loop.ts";
import { startReconcileLoop } from "./scheduler/reconcile-loop.ts";
import { reconcile } from "./scheduler/reconciler.ts";
import { createRedisNotifier } from "./scheduler/redis-notifier.ts";
import { createRedisReplayMemory } from "./scheduler/redis-replay-memory.ts";
import { demoSchedule, productionSchedule } from "./scheduler/schedule-settings.ts";
import { startWorkers } from "./scheduler/start-workers.ts";
import { digestLinkSigner } from "./use-cases/digest/digest-link.ts";
import { createGuestPage } from "./use-cases/guests/guest-page.ts";
import { sendGuestMails } from "./use-cases/guests/send-guest-mails.ts";
import { handleEventSafely } from "./use-cases/handle-event-safely.ts";
import { homeViewFor } from "./use-cases/home-view.ts";
import { legalPages } from "./use-cases/legal-pages.ts";
import { createLessonsPage } from "./use-cases/lessons/lessons-page.ts";
import { portfolioFor } from "./use-cases/portfolio.ts";
import { downloadPersonalData } from "./use-cases/privacy-export-link.ts";
import { webLinkSigner } from "./use-cases/web-link.ts";

const PROMPTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../prompts");
const SHUTDOWN_TIMEOUT_MS = 30_000;
const RECORDING_POOL_SIZE = 4;

const USAGE = `Usage: leerlus <command> [--help]   (leerlus --version prints the version)

  demo      run everything in one process on embedded defaults, with demo data and a fast cadence
  serve     HTTP: web chat, Slack and Teams endpoints, /livez, /readyz, /metrics
  worker    queue workers: retro cycles, deliveries, checkpoints, digests
            (WORKER_QUEUES=ticks or =deliveries to serve one kind only;
            HEALTH_PORT=9090 answers /livez, /readyz and /metrics there)
  project   import projects and people from a CSV, or add one: project import|add --organisation <id> …
  privacy   export or erase a person's data: privacy export|erase --person <id> [--yes]
            or fill in the privacy statement at /privacy: privacy statement --organisation <id> [--controller …]
  migrate   apply database migrations
  teams package [file]
            write the Microsoft Teams app package to sideload (default: leerlus-teams.zip); needs an https PUBLIC_URL
  slack manifest [--socket-mode]
            print the Slack app manifest for PUBLIC_URL (or for Socket Mode, also when SLACK_APP_TOKEN is set)
${LESSONS_USAGE}
${DIGEST_USAGE}
${DAYS_OFF_USAGE}

Configuration comes from the environment; see .env.example.`;

type Roles = { http: boolean; worker: boolean; demo: boolean };

async function run(config: Config, logger: Logger, roles: Roles): Promise<() => Promise<void>> {
  const secret = await resolveSecret(config);
  const prompts = createPromptCatalog(PROMPTS_DIR);
  const metrics = createProcessMetrics();
  const infra = await openInfrastructure(config, logger, { migrate: roles.demo, onQuery: metrics.query });
  const closers: (() => Promise<void>)[] = [() => infra.close()];
  try {
    if (roles.demo) {
      const seeded = await seedDemo(infra.db, { now: new Date(), fast: true });
      if (seeded.created) logger.info({}, "demo organisation seeded");
    }
    const core = createProcessCore(config, infra, { prompts, logger, secret, trackers: createTrackerClients() });
    closers.unshift(() => core.close());
    // Mail to guests (README "Guests"); without SMTP_URL guests are neither invited nor mailed.
    const mailer = config.mail ? createSmtpMailer({ url: config.mail.url, from: config.mail.from }) : undefined;
    if (mailer) closers.unshift(async () => mailer.close());
    // Slack and Teams requests are recorded before they are acknowledged: on connections of
    // their own, so an acknowledgement never waits behind other queries (the embedded
    // database takes one connection at a time, so it shares).
    const chatPlatforms = Boolean(config.slack || config.teams);
    const recordOn =
      infra.embedded || !chatPlatforms ? infra.db : createDatabase(infra.databaseUrl, RECORDING_POOL_SIZE);
    if (recordOn !== infra.db) closers.unshift(() => recordOn.destroy());
    const receivedEvents = createReceivedEventRepository(infra.db, { recordOn });
    const notifier = createRedisNotifier({ redisUrl: infra.redisUrl, channel: `${config.queuePrefix}:web` });
    closers.unshift(() => notifier.close());
    const web = createWebAdapter({
      store: createWebMessageRepository(infra.db),
      notifier,
      directory: createWebDirectoryRepository(infra.db),
      linkSigner: webLinkSigner(secret),
      now: () => core.deps.clock.now(),
      demo: roles.demo,
      text: (locale, key, vars) => prompts.t(locale, key, vars),
      sessionSecret: deriveKey(secret, "web-session"),
      // Behind a TLS-terminating ingress the request itself may look like plain HTTP.
      secureCookies: config.publicUrl.startsWith("https:"),
      logger,
      portfolio: async (personId) => {
        const person = await core.deps.stores.directory.person(personId);
        return person ? portfolioFor(core.deps, person) : null;
      },
      lessons: createLessonsPage(core.deps),
      guests: createGuestPage(core.deps),
      available: core.redis.available,
    });
    // Each platform adds its adapter (and its HTTP routes, for `serve`) here.
    const adapters: ChatAdapter[] = [web.adapter];
    const routers: Router[] = [web.router];
    // The advisers' digest pages, opened through the signed link in their digest message.
    const digests = createDigestServices({ db: infra.db, prompts });
    routers.push(
      createDigestRouter({
        signer: digestLinkSigner(secret),
        ...digests.page,
        text: (locale, key, vars) => prompts.t(locale, key, vars),
        logger,
      }),
    );
    // The privacy statement and terms of use that the Teams manifest links to.
    const statements = createPrivacyStatementRepository(infra.db);
    routers.push(
      createLegalPagesRouter({
        page: legalPages(prompts, statements),
        text: (locale, key) => prompts.t(locale, key),
        logger,
      }),
    );
    // The file behind the privacy menu's export link, for people of every platform.
    routers.push(
      createPrivacyExportRouter({
        download: (token) => downloadPersonalData(core.deps, token),
        text: (locale, key) => prompts.t(locale, key),
        logger,
      }),
    );
    if (config.teams) {
      if (config.teams.localAnonymous) {
        logger.warn(
          { code: "TEAMS_LOCAL_ANONYMOUS" },
          "TEAMS_LOCAL_ANONYMOUS is on: /api/messages accepts Teams activities WITHOUT authentication, from this machine only. For Microsoft's local test client; never in production.",
        );
      }
      const teams = createTeamsAdapter({
        ...config.teams,
        receivedEvents,
        text: (locale, key, vars) => prompts.t(locale, key, vars),
        logger,
      });
      adapters.push(teams.adapter);
      routers.push(teams.router);
    }
    // Other installations read this one's shared lessons here (README "Lesson exchange").
    routers.push(core.lessonFeedRouter());
    const rawRouters: Router[] = [];
    if (config.slack) {
      const slack = createSlackAdapter({
        ...slackSettings(config.slack, config.publicUrl),
        installs: createInstallRepository(
          infra.db,
          createTokenCipher(config.tokenEncryptionKey ?? deriveKeyBase64(secret, "slack-tokens")),
        ),
        receivedEvents,
        replayMemory: createRedisReplayMemory(core.connection, config.queuePrefix),
        homeView: (who) => homeViewFor(core.deps, { platform: "slack", ...who }),
        text: (locale, key, vars) => prompts.t(locale, key, vars),
        logger,
      });
      adapters.push(slack.adapter);
      rawRouters.push(slack.router);
    }
    // Sends and inbound events are timed for /metrics; the adapters know nothing of it.
    const measured = adapters.map((adapter) => measuredAdapter(adapter, metrics));
    // Decisions and closed retros rewrite the messages that show them, on their platforms.
    const deps = { ...core.deps, updateSent: sentMessageUpdater(measured), ...(mailer ? { mailer } : {}) };
    for (const adapter of measured) {
      await adapter.start((event) => handleEventSafely(deps, event));
      closers.unshift(() => adapter.stop());
    }
    const readiness = [databaseReadiness(infra.db), redisReadiness(core.connection, core.redis)];
    const collectMetrics = createMetricsCollector({
      db: infra.db,
      queues: () => core.queues(adapters.map((adapter) => adapter.platform)),
      redisUp: core.redis.available,
      metrics,
    });
    if (roles.worker && !roles.http && config.healthPort) {
      const health = createHealthApp({ readiness, metrics: collectMetrics, metricsToken: config.metricsToken, logger });
      const server = await listen(health, { host: config.host, port: config.healthPort }, "HEALTH_PORT");
      closers.unshift(() => closeServer(server));
    }
    if (roles.worker) {
      const schedule = roles.demo ? demoSchedule() : productionSchedule(config.tickSeconds);
      const queues = roles.demo ? { ticks: true, deliveries: true } : config.workerQueues;
      const workers = startWorkers({
        connection: core.connection,
        names: core.names,
        deps,
        adapters: new Map(measured.map((adapter) => [adapter.platform, adapter])),
        leaseMs: config.deliveryLeaseSeconds * 1000,
        deliveryConcurrency: config.deliveryConcurrency,
        queues,
        redis: core.redis,
      });
      closers.unshift(() => workers.close());
      logger.info(queues, "working");
      const reconciling = startReconcileLoop({
        reconcile: () =>
          reconcile({
            stores: core.deps.stores,
            ticks: core.ticks,
            dispatcher: core.deps.dispatcher,
            schedule,
            logger,
            lessonFeeds: core.deps.exchange?.store,
          }),
        redis: core.redis,
        intervalMs: (roles.demo ? 30 : config.reconcileSeconds) * 1000,
        logger,
      });
      closers.unshift(async () => reconciling.stop());
      if (roles.demo) {
        const personas = startDemoPersonas(deps, logger);
        closers.unshift(() => personas.stop());
      }
      if (mailer && config.mail) {
        const mailing = startGuestMailLoop({
          send: () => sendGuestMails(deps, mailer),
          intervalMs: config.mail.pollSeconds * 1000,
          logger,
        });
        closers.unshift(() => mailing.stop());
      }
      await reconciling.first;
    }
    if (roles.http) {
      if (config.adminPassword) {
        routers.unshift(
          createQueueDashboard(core.queues(adapters.map((adapter) => adapter.platform)), config.adminPassword),
        );
      }
      const app = createHttpApp({
        routers,
        rawRouters,
        readiness,
        metrics: collectMetrics,
        logger,
        publicUrl: config.publicUrl,
        trustProxy: config.trustProxy,
        metricsToken: config.metricsToken,
        text: (locale, key, vars) => prompts.t(locale, key, vars),
        notFoundPage: web.notFound,
      });
      const server = await listen(app, config);
      closers.unshift(() => closeServer(server));
      if (roles.demo) printDemoWelcome(config);
      else logger.info({ url: config.publicUrl }, "serving");
    }
  } catch (error) {
    await closeAll(closers, logger);
    throw error;
  }
  return () => closeAll(closers, logger);
}

export async function runCli(argv: string[]): Promise<number> {
  const [command = "help"] = argv;
  if (command === "help" || command === "--help" || command === "-h") {
    console.log(USAGE);
    return 0;
  }
  if (command === "--version" || command === "-v") {
    console.log(packageVersion());
    return 0;
  }
  const help = asksForHelp(argv.slice(1)) ? commandHelp(USAGE, command) : undefined;
  if (help) {
    console.log(help);
    return 0;
  }
  if (DATA_COMMANDS.includes(command)) return runDataCommand(argv);
  let config: Config;
  try {
    config = loadConfig({ ...process.env, ...(command === "demo" ? { DEMO: "true" } : {}) });
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : String(error));
    return 2;
  }
  const logger = createLogger(command === "demo" && !process.env.LOG_LEVEL ? "warn" : config.logLevel);
  try {
    if (command === "migrate") {
      const database = await openDatabase(config, logger, { migrate: true });
      await database.close();
      console.log("Database is up to date.");
      return 0;
    }
    if (command === "teams") return teamsCommand(argv.slice(1), config);
    if (command === "slack") return slackCommand(argv.slice(1), config);
    if (command === "digest") {
      return await digestCommand(argv.slice(1), config, logger, createPromptCatalog(PROMPTS_DIR));
    }
    if (command === "privacy") return privacyCommand(argv.slice(1), config, logger);
    if (command === "days-off") {
      return daysOffCommand(argv.slice(1), config, logger, createPromptCatalog(PROMPTS_DIR));
    }
    const roles: Record<string, Roles> = {
      demo: { http: true, worker: true, demo: true },
      serve: { http: true, worker: false, demo: false },
      worker: { http: false, worker: true, demo: false },
    };
    const selected = roles[command];
    if (!selected) {
      console.error(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
    }
    // Listened for from the start: the workers are busy before the process has finished
    // starting, and a stop that arrives then is a graceful stop too, not the default death.
    const signal = waitForSignal();
    const stop = await run(config, logger, selected);
    await signal;
    const timer = setTimeout(() => {
      logger.error({}, "shutdown took longer than 30 s; exiting");
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    await stop();
    return 0;
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  }
}

/** `leerlus slack manifest [--socket-mode]`: the manifest to paste into Slack's "Create New App". */
function slackCommand(args: string[], config: Config): number {
  const [sub, ...flags] = args;
  if (sub !== "manifest" || flags.some((flag) => flag !== "--socket-mode")) {
    console.error(`Unknown command "slack ${args.join(" ")}".\n\n${USAGE}`);
    return 2;
  }
  const socketMode = flags.includes("--socket-mode") || Boolean(config.slack?.appToken);
  try {
    process.stdout.write(slackManifestYaml({ publicUrl: config.publicUrl, socketMode }));
    return 0;
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 2;
  }
}

/** `leerlus teams package [file]`: the zip to upload in Teams (Apps → Manage your apps → Upload). */
function teamsCommand(args: string[], config: Config): number {
  const [sub, file = "leerlus-teams.zip"] = args;
  if (sub !== "package") {
    console.error(`Unknown command "teams ${sub ?? ""}".\n\n${USAGE}`);
    return 2;
  }
  if (!config.teams || config.teams.localAnonymous) {
    console.error("Set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD (see .env.example) to package the Teams app.");
    return 2;
  }
  const prompts = createPromptCatalog(PROMPTS_DIR);
  let zip: Uint8Array;
  try {
    zip = buildTeamsPackage({
      appId: config.teams.appId,
      publicUrl: config.publicUrl,
      text: (locale, key) => prompts.t(locale, key),
    });
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 2;
  }
  writeFileSync(file, zip);
  console.log(`Teams app package written to ${file}. Upload it in Teams: Apps → Manage your apps → Upload an app.`);
  return 0;
}
