// All configuration, read once from the environment and validated. A bad value
// stops start-up with a message naming the variable.
import { z } from "zod";

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === "" ? undefined : value));

const flag = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((value) => value === "true" || value === "1");

const environmentSchema = z.object({
  DATABASE_URL: optionalString.pipe(z.url({ protocol: /^postgres(ql)?$/ }).optional()),
  REDIS_URL: optionalString.pipe(z.url({ protocol: /^rediss?$/ }).optional()),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("127.0.0.1"),
  PUBLIC_URL: optionalString.pipe(z.url().optional()),
  DATA_DIR: z.string().default(".leerlus"),
  LEERLUS_SECRET: optionalString.pipe(z.string().min(32, "must be at least 32 characters").optional()),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z0-9-]+$/, "use lower-case letters, digits and dashes")
    .default("leerlus"),
  TICK_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  RECONCILE_SECONDS: z.coerce.number().int().min(5).max(3600).default(300),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  DEMO: flag,
});

export type Config = {
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  /** Signs web links and sessions. In demo mode a fixed development secret is used. */
  secret: string | undefined;
  queuePrefix: string;
  tickSeconds: number;
  reconcileSeconds: number;
  logLevel: z.infer<typeof environmentSchema>["LOG_LEVEL"];
  demo: boolean;
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
  return {
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    port: env.PORT,
    host: env.HOST,
    publicUrl: env.PUBLIC_URL ?? `http://${env.HOST === "0.0.0.0" ? "localhost" : env.HOST}:${env.PORT}`,
    dataDir: env.DATA_DIR,
    secret: env.LEERLUS_SECRET,
    queuePrefix: env.QUEUE_PREFIX,
    tickSeconds: env.TICK_SECONDS,
    reconcileSeconds: env.RECONCILE_SECONDS,
    logLevel: env.LOG_LEVEL,
    demo: env.DEMO,
  };
}
