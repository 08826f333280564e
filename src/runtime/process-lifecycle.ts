// Starting and stopping a process: listening, closing connections, signals.
import type { Server } from "node:http";
import type { Config } from "../config.ts";
import { LeerlusError } from "../domain/leerlus-error.ts";
import { DEMO_IDS } from "../persistence/demo-seed.ts";
import type { Logger } from "../ports/logger.ts";
import type { createHttpApp } from "./http-app.ts";

/** Listens on `config.port`; `variable` names the setting that chose it, for the error. */
export function listen(
  app: ReturnType<typeof createHttpApp>,
  config: Pick<Config, "port" | "host">,
  variable = "PORT",
): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(config.port, config.host);
    server.once("listening", () => resolve(server));
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new LeerlusError(
              "PORT_IN_USE",
              `port ${config.port} is taken; set ${variable} to a free port and start again.`,
            )
          : error,
      ),
    );
  });
}

export async function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  // Server-sent event streams never end on their own.
  setTimeout(() => server.closeAllConnections(), 2_000).unref();
  await closed;
}

export async function closeAll(closers: (() => Promise<void>)[], logger: Logger): Promise<void> {
  for (const close of closers) {
    try {
      await close();
    } catch (error) {
      logger.warn({ err: error instanceof Error ? error.message : String(error) }, "error while shutting down");
    }
  }
}

export function printDemoWelcome(config: Config): void {
  const url = config.publicUrl;
  console.log(`
Leerlus demo is running: open ${url}/?as=${DEMO_IDS.lotte}
Pick who you are in the page, or use one of these links:
  member (Lotte, nl)     ${url}/?as=${DEMO_IDS.lotte}
  member (Emma, en)      ${url}/?as=${DEMO_IDS.emma}
  lead (Sanne)           ${url}/?as=${DEMO_IDS.sanne}
  manager (Karin)        ${url}/?as=${DEMO_IDS.karin}
  adviser (Joost)        ${url}/?as=${DEMO_IDS.joost}
A retro opens within a minute and every 3 minutes after. Stop with Ctrl+C.
`);
}

export function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once("SIGTERM", () => resolve());
    process.once("SIGINT", () => resolve());
  });
}
