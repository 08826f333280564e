// All configuration, read once from the environment and validated. A bad value
// stops start-up with a message naming the variable.
import { isIP } from "node:net";
import { z } from "zod";
import { isLoopbackHost } from "./domain/loopback.ts";

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === "" ? undefined : value));

const flag = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((value) => value === "true" || value === "1");

const PROXY_PRESETS = ["loopback", "linklocal", "uniquelocal"];

function isProxyAddress(entry: string): boolean {
  if (PROXY_PRESETS.includes(entry)) return true;
  const [address = "", prefix, ...rest] = entry.split("/");
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

/**
 * Express's `trust proxy`: a number of hops, "false", or addresses, CIDR ranges and the names
 * loopback, linklocal, uniquelocal. "true" (trust any client's X-Forwarded-For) is refused.
 */
const trustProxy = z
  .string()
  .default("loopback")
  .transform((value, context) => {
    // An empty value counts as unset, as everywhere in .env.example.
    const text = value.trim() || "loopback";
    if (text === "false") return false as const;
    if (/^\d+$/.test(text) && Number(text) <= 10) return Number(text);
    const entries = text.split(",").map((entry) => entry.trim());
    if (entries.length > 0 && entries.every(isProxyAddress)) return entries;
    context.addIssue({
      code: "custom",
      message:
        'use a number of proxy hops (0–10), "false", or addresses/CIDR ranges or loopback, linklocal, uniquelocal',
    });
    return z.NEVER;
  });

/** "Name <address>" or "address", with a valid address. */
const mailFrom = z.string().transform((value, context) => {
  const match = /^\s*(?:(.*?)\s*<([^<>\s]+)>|([^<>\s]+))\s*$/.exec(value);
  const address = match?.[2] ?? match?.[3] ?? "";
  if (!z.email().safeParse(address).success) {
    context.addIssue({ code: "custom", message: 'use an address, or "Name <address>"' });
    return z.NEVER;
  }
  return { name: (match?.[1] ?? "").replace(/^"|"$/g, "") || "Leerlus", address };
});

const environmentSchema = z.object({
  DATABASE_URL: optionalString.pipe(z.url({ protocol: /^postgres(ql)?$/ }).optional()),
  REDIS_URL: optionalString.pipe(z.url({ protocol: /^rediss?$/ }).optional()),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** `leerlus worker`'s health port (/livez, /readyz, /metrics); unset: none. */
  HEALTH_PORT: optionalString.pipe(z.coerce.number<string | undefined>().int().min(1).max(65535).optional()),
  HOST: z.string().default("127.0.0.1"),
  PUBLIC_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  TRUST_PROXY: trustProxy,
  /** Bearer token for GET /metrics; unset: only direct scrapes from this machine answer. */
  METRICS_TOKEN: optionalString.pipe(z.string().min(16, "must be at least 16 characters").optional()),
  DATA_DIR: z.string().default(".leerlus"),
  LEERLUS_SECRET: optionalString.pipe(z.string().min(32, "must be at least 32 characters").optional()),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z0-9-]+$/, "use lower-case letters, digits and dashes")
    .default("leerlus"),
  TICK_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  RECONCILE_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
  DELIVERY_LEASE_SECONDS: z.coerce.number().int().min(5).max(3600).default(30),
  /** Delivery jobs a worker runs at once, per platform; fewer spares a small database. */
  DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  /** Which queues `leerlus worker` serves: ticks, deliveries, or both (comma-separated). */
  WORKER_QUEUES: z
    .string()
    .default("ticks,deliveries")
    .transform((value) => value.split(",").map((name) => name.trim()))
    .pipe(
      z.array(z.enum(["ticks", "deliveries"], { error: 'use "ticks", "deliveries" or "ticks,deliveries"' })).min(1),
    ),
  /** Enables the queue dashboard at /admin/queues, behind HTTP Basic authentication (user "admin"). */
  ADMIN_PASSWORD: optionalString.pipe(z.string().min(16, "must be at least 16 characters").optional()),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  DEMO: flag,
  SLACK_BOT_TOKEN: optionalString.pipe(z.string().startsWith("xoxb-", "must start with xoxb-").optional()),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString.pipe(z.string().startsWith("xapp-", "must start with xapp-").optional()),
  SLACK_CLIENT_ID: optionalString,
  SLACK_CLIENT_SECRET: optionalString,
  SLACK_STATE_SECRET: optionalString,
  /** Tests point the Slack Web API client at a local fake. */
  SLACK_API_URL: optionalString.pipe(z.url().optional()),
  /** 32 bytes, base64: encrypts platform tokens at rest (AES-256-GCM). */
  TOKEN_ENCRYPTION_KEY: optionalString.pipe(
    z
      .string()
      .refine((value) => Buffer.from(value, "base64").length === 32, "must be 32 bytes, base64-encoded")
      .optional(),
  ),
  MICROSOFT_APP_ID: optionalString,
  MICROSOFT_APP_PASSWORD: optionalString,
  MICROSOFT_APP_TENANT_ID: optionalString,
  MICROSOFT_APP_TYPE: z.enum(["MultiTenant", "SingleTenant"]).default("MultiTenant"),
  /** Teams without Microsoft's tokens, for the local Microsoft 365 Agents Playground only. */
  TEAMS_LOCAL_ANONYMOUS: flag,
  /**
   * Lesson feeds on private, loopback and link-local addresses may be subscribed to: for
   * installations that reach each other inside one network, and for tests. Off by default,
   * so an admin's subscribe cannot be used to probe the installation's own network.
   */
  LESSON_FEED_ALLOW_PRIVATE: flag,
  /** Mail to guests (README "Guests"): smtp://user:pass@host:587 or smtps://…:465; unset: no mail. */
  SMTP_URL: optionalString.pipe(z.url({ protocol: /^smtps?$/ }).optional()),
  /** The sender: "Leerlus <leerlus@gemeente.nl>" or just the address; needed with SMTP_URL. */
  MAIL_FROM: optionalString.pipe(mailFrom.optional()),
  /** How often a worker looks for guest mails that are due. */
  MAIL_SECONDS: z.coerce.number().int().min(1).max(3600).default(15),
});

type Environment = z.infer<typeof environmentSchema>;

export type SlackConfig = {
  botToken: string | undefined;
  signingSecret: string;
  appToken: string | undefined;
  clientId: string | undefined;
  clientSecret: string | undefined;
  stateSecret: string | undefined;
  apiUrl: string | undefined;
};

export type TeamsConfig = {
  appId: string;
  appPassword: string;
  tenantId: string | undefined;
  appType: "MultiTenant" | "SingleTenant";
  /** TEAMS_LOCAL_ANONYMOUS: no app, no tokens; only on loopback, for Microsoft's local test client. */
  localAnonymous: boolean;
};

export type Config = {
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  port: number;
  /** Where `leerlus worker` answers /livez, /readyz and /metrics; undefined: no port. */
  healthPort: number | undefined;
  host: string;
  publicUrl: string;
  /** Express's `trust proxy`: hops or addresses whose X-Forwarded-* headers count. */
  trustProxy: number | string[] | false;
  metricsToken: string | undefined;
  dataDir: string;
  /** Signs web links and sessions. In demo mode a fixed development secret is used. */
  secret: string | undefined;
  queuePrefix: string;
  tickSeconds: number;
  reconcileSeconds: number;
  /** How long a worker's claim on an outbox message lasts; renewed while sending. */
  deliveryLeaseSeconds: number;
  deliveryConcurrency: number;
  /** The queues a worker process serves; the demo serves both whatever this says. */
  /** Which of the scheduler's queues this process serves (startWorkers takes the same shape). */
  workerQueues: { ticks: boolean; deliveries: boolean };
  logLevel: Environment["LOG_LEVEL"];
  adminPassword: string | undefined;
  demo: boolean;
  /** Set when Slack credentials are: a bot token, an app token (Socket Mode) or OAuth client credentials. */
  slack: SlackConfig | undefined;
  /** Set when MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD are, or TEAMS_LOCAL_ANONYMOUS. */
  teams: TeamsConfig | undefined;
  tokenEncryptionKey: string | undefined;
  /** LESSON_FEED_ALLOW_PRIVATE. */
  lessonFeedAllowPrivate: boolean;
  /** SMTP_URL with MAIL_FROM: mail to guests; undefined: guests are not mailed. */
  mail: { url: string; from: { name: string; address: string }; pollSeconds: number } | undefined;
};

export class ConfigError extends Error {
  readonly code = "CONFIG_INVALID";
}

export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid environment. Fix these variables and start again:\n  ${problems.join("\n  ")}`);
  }
  const env = parsed.data;
  if (env.SMTP_URL && !env.MAIL_FROM) {
    throw new ConfigError(
      "Invalid environment. Fix these variables and start again:\n  MAIL_FROM: needed with SMTP_URL",
    );
  }
  return {
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    port: env.PORT,
    healthPort: env.HEALTH_PORT,
    host: env.HOST,
    publicUrl: env.PUBLIC_URL ?? `http://${env.HOST === "0.0.0.0" ? "localhost" : env.HOST}:${env.PORT}`,
    trustProxy: env.TRUST_PROXY,
    metricsToken: env.METRICS_TOKEN,
    dataDir: env.DATA_DIR,
    secret: env.LEERLUS_SECRET,
    queuePrefix: env.QUEUE_PREFIX,
    tickSeconds: env.TICK_SECONDS,
    reconcileSeconds: env.RECONCILE_SECONDS,
    deliveryLeaseSeconds: env.DELIVERY_LEASE_SECONDS,
    deliveryConcurrency: env.DELIVERY_CONCURRENCY,
    workerQueues: { ticks: env.WORKER_QUEUES.includes("ticks"), deliveries: env.WORKER_QUEUES.includes("deliveries") },
    logLevel: env.LOG_LEVEL,
    adminPassword: env.ADMIN_PASSWORD,
    demo: env.DEMO,
    slack: slackConfig(env),
    teams: teamsConfig(env),
    tokenEncryptionKey: env.TOKEN_ENCRYPTION_KEY,
    lessonFeedAllowPrivate: env.LESSON_FEED_ALLOW_PRIVATE,
    mail:
      env.SMTP_URL && env.MAIL_FROM
        ? { url: env.SMTP_URL, from: env.MAIL_FROM, pollSeconds: env.MAIL_SECONDS }
        : undefined,
  };
}

function slackConfig(env: Environment): SlackConfig | undefined {
  const wanted = env.SLACK_BOT_TOKEN || env.SLACK_APP_TOKEN || env.SLACK_CLIENT_ID;
  if (!wanted) return undefined;
  if (!env.SLACK_SIGNING_SECRET) {
    throw new ConfigError("Invalid environment: SLACK_SIGNING_SECRET is required when Slack is configured.");
  }
  if (env.SLACK_CLIENT_ID && !(env.SLACK_CLIENT_SECRET && env.SLACK_STATE_SECRET && env.TOKEN_ENCRYPTION_KEY)) {
    throw new ConfigError(
      "Invalid environment: SLACK_CLIENT_ID needs SLACK_CLIENT_SECRET, SLACK_STATE_SECRET and TOKEN_ENCRYPTION_KEY for installs in many workspaces.",
    );
  }
  return {
    botToken: env.SLACK_BOT_TOKEN,
    signingSecret: env.SLACK_SIGNING_SECRET,
    appToken: env.SLACK_APP_TOKEN,
    clientId: env.SLACK_CLIENT_ID,
    clientSecret: env.SLACK_CLIENT_SECRET,
    stateSecret: env.SLACK_STATE_SECRET,
    apiUrl: env.SLACK_API_URL,
  };
}

function teamsConfig(env: Environment): TeamsConfig | undefined {
  if (env.TEAMS_LOCAL_ANONYMOUS) return localAnonymousTeams(env);
  if (!env.MICROSOFT_APP_ID && !env.MICROSOFT_APP_PASSWORD) return undefined;
  if (!env.MICROSOFT_APP_ID || !env.MICROSOFT_APP_PASSWORD) {
    throw new ConfigError("Invalid environment: set both MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD for Teams.");
  }
  if (env.MICROSOFT_APP_TYPE === "SingleTenant" && !env.MICROSOFT_APP_TENANT_ID) {
    throw new ConfigError("Invalid environment: MICROSOFT_APP_TENANT_ID is required for a SingleTenant app.");
  }
  return {
    appId: env.MICROSOFT_APP_ID,
    appPassword: env.MICROSOFT_APP_PASSWORD,
    tenantId: env.MICROSOFT_APP_TENANT_ID,
    appType: env.MICROSOFT_APP_TYPE,
    localAnonymous: false,
  };
}

/**
 * Microsoft's local test client (the Agents Playground) sends no token. Leerlus then accepts
 * unauthenticated activities, so only where nobody else can reach it and no real app is set up.
 */
function localAnonymousTeams(env: Environment): TeamsConfig {
  if (env.MICROSOFT_APP_PASSWORD || env.MICROSOFT_APP_ID) {
    throw new ConfigError(
      "Invalid environment: TEAMS_LOCAL_ANONYMOUS runs Teams without Microsoft's tokens; unset MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD, or TEAMS_LOCAL_ANONYMOUS.",
    );
  }
  if (!isLoopbackHost(env.HOST)) {
    throw new ConfigError(
      `Invalid environment: TEAMS_LOCAL_ANONYMOUS needs HOST on this machine only (127.0.0.1, ::1 or localhost), not ${env.HOST}.`,
    );
  }
  return { appId: "", appPassword: "", tenantId: undefined, appType: "MultiTenant", localAnonymous: true };
}
