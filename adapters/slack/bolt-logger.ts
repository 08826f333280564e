// Bolt's logger interface over ours. Bolt logs whole payloads at debug level, so debug
// stays off: people's answers must not end up in logs.
import { type Logger as BoltLogger, LogLevel } from "@slack/bolt";
import type { Logger } from "../../src/ports/logger.ts";

const describe = (parts: unknown[]) =>
  parts.map((part) => (part instanceof Error ? `${part.name}: ${part.message}` : String(part))).join(" ");

export function boltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  return {
    debug: () => {},
    info: (...parts) => logger.debug({ source: "bolt" }, describe(parts)),
    warn: (...parts) => logger.warn({ source: "bolt" }, describe(parts)),
    error: (...parts) => logger.error({ source: "bolt" }, describe(parts)),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
