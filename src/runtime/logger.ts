import { type Logger as PinoLogger, pino } from "pino";
import type { Logger } from "../ports/logger.ts";
import { currentRequestId } from "./request-context.ts";

const pinoInstances = new WeakMap<Logger, PinoLogger>();

function wrap(instance: PinoLogger): Logger {
  const logger: Logger = {
    debug: (fields, message) => instance.debug(fields, message),
    info: (fields, message) => instance.info(fields, message),
    warn: (fields, message) => instance.warn(fields, message),
    error: (fields, message) => instance.error(fields, message),
    child: (fields) => wrap(instance.child(fields)),
  };
  pinoInstances.set(logger, instance);
  return logger;
}

/**
 * JSON lines on stdout (or the given stream); callers pass ids and counts, never names or
 * answers. A line written while an HTTP request is handled carries its `requestId`.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = {
    level,
    base: { service: "leerlus" },
    mixin: () => {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
  };
  return wrap(destination ? pino(options, destination as never) : pino(options));
}

/** The pino logger behind a logger made by {@link createLogger}, for pino's own middleware. */
export function pinoOf(logger: Logger): PinoLogger | undefined {
  return pinoInstances.get(logger);
}
