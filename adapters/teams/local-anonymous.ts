// The local anonymous mode accepts activities without a token (Microsoft's Agents Playground
// sends none). Nothing then vouches for who sent one, so beyond listening on loopback only
// (checked at start), each request must come straight from this machine and name a Bot
// Connector on this machine: Leerlus never sends what an unauthenticated caller wrote elsewhere.
import type { IncomingHttpHeaders } from "node:http";
import { isLoopbackHost } from "../../src/domain/loopback.ts";

export type LocalRefusal = { code: "TEAMS_LOCAL_ONLY"; message: string };

const FORWARDED = ["forwarded", "x-forwarded-for", "x-forwarded-host", "x-real-ip"];

export function localAnonymousRefusal(request: {
  headers: IncomingHttpHeaders;
  remoteAddress: string | undefined;
  serviceUrl: string;
}): LocalRefusal | null {
  // A reverse proxy on this machine would make a remote caller look local.
  const proxied = FORWARDED.some((name) => request.headers[name] !== undefined);
  if (proxied || !isLoopbackHost(request.remoteAddress ?? "")) {
    return { code: "TEAMS_LOCAL_ONLY", message: "The local anonymous mode answers only requests from this machine." };
  }
  let host = "";
  try {
    host = new URL(request.serviceUrl).hostname;
  } catch {
    // The route's schema checked it is a URL; an odd one is refused below all the same.
  }
  if (!isLoopbackHost(host)) {
    return {
      code: "TEAMS_LOCAL_ONLY",
      message: "The local anonymous mode sends only to a serviceUrl on this machine.",
    };
  }
  return null;
}
