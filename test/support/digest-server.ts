import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { createDigestRouter } from "../../adapters/web/digest-page.ts";
import type { Db } from "../../src/persistence/database.ts";
import { createDigestServices } from "../../src/runtime/digest-services.ts";
import { digestLinkSigner } from "../../src/use-cases/digest/digest-link.ts";
import { prompts } from "./test-core.ts";

/** The digest pages as `leerlus serve` mounts them, alone on a local port; links are signed with `secret`. */
export async function startDigestServer(
  db: Db,
  secret: string,
  now: () => Date,
): Promise<{ server: Server; base: string }> {
  const services = createDigestServices({ db, prompts });
  const app = express();
  app.use(
    createDigestRouter({
      signer: digestLinkSigner(secret),
      ...services.page,
      text: (locale, key, vars) => prompts.t(locale, key, vars),
      now,
    }),
  );
  const server = await new Promise<Server>((resolve) => {
    const started = app.listen(0, "127.0.0.1", () => resolve(started));
  });
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
