import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Router } from "express";
import { silentLogger } from "../../src/ports/logger.ts";
import { createHttpApp } from "../../src/runtime/http-app.ts";

/** The shared HTTP app with these routers, on a free loopback port. */
export async function listenApp(input: {
  routers?: Router[];
  rawRouters?: Router[];
}): Promise<{ server: Server; base: string }> {
  const app = createHttpApp({
    routers: input.routers ?? [],
    rawRouters: input.rawRouters ?? [],
    readiness: [],
    metrics: async () => "",
    logger: silentLogger,
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Closes a server from listenApp, keep-alive connections too; safe when it never started. */
export async function closeServer(server: Server | undefined): Promise<void> {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
}
