import { pino } from "pino";
import type { Logger } from "../ports/logger.ts";

type PinoLike = {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
  child(fields: object): PinoLike;
};

function wrap(instance: PinoLike): Logger {
  return {
    debug: (fields, message) => instance.debug(fields, message),
    info: (fields, message) => instance.info(fields, message),
    warn: (fields, message) => instance.warn(fields, message),
    error: (fields, message) => instance.error(fields, message),
    child: (fields) => wrap(instance.child(fields)),
  };
}

/** JSON lines on stdout (or the given stream); callers pass ids and counts, never names or answers. */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = { level, base: { service: "leerlus" } };
  return wrap(destination ? pino(options, destination as never) : pino(options));
}
