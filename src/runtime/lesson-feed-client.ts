// Reads other installations' lesson feeds, bounded: http(s) only, no redirects, a timeout on
// the whole exchange, a byte limit counted as the body streams in (the connection is cut
// past it), and, unless allowed, no private, loopback or link-local addresses, checked on the
// address actually connected to (so a name that resolves to 10.0.0.1 is refused too).
// A page counts only when its HTTP Message Signature (RFC 9421) verifies with the key pinned
// at subscribe time and its Content-Digest matches the body.

import { verify } from "node:crypto";
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { BlockList, isIP } from "node:net";
import { httpbis } from "http-message-signatures";
import { LeerlusError } from "../domain/leerlus-error.ts";
import { fingerprintText } from "../domain/lesson-feed.ts";
import type { FeedClient, FeedKey } from "../ports/lesson-feed.ts";
import { jwkThumbprint, publicKeyFromJwk } from "./lesson-feed-key.ts";
import { contentDigest, KEY_DIRECTORY_PATH, SIGNED_COMPONENTS } from "./lesson-feed-routes.ts";

export type FeedClientOptions = {
  /** Whether feeds on private, loopback and link-local addresses may be read (LESSON_FEED_ALLOW_PRIVATE). */
  allowPrivate: boolean;
  timeoutMs: number;
  maxBytes: number;
};

export const FEED_CLIENT_DEFAULTS: FeedClientOptions = {
  allowPrivate: false,
  timeoutMs: 15_000,
  maxBytes: 1024 * 1024,
};
const KEY_MAX_BYTES = 64 * 1024;

const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 3],
] as const) {
  PRIVATE.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 127],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  PRIVATE.addSubnet(network, prefix, "ipv6");
}

export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return PRIVATE.check(mapped[1] as string, "ipv4");
  const family = isIP(address);
  return family === 0 || PRIVATE.check(address, family === 4 ? "ipv4" : "ipv6");
}

const fail = (code: ConstructorParameters<typeof LeerlusError>[0], detail: string) =>
  ({ ok: false, error: new LeerlusError(code, detail) }) as const;

type Fetched = { ok: true; status: number; headers: Record<string, string>; body: Buffer } | ReturnType<typeof fail>;

/** Checks the URL's scheme here and its address at connect time. */
export function feedUrlProblem(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "URL";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return url.protocol;
  if (url.username || url.password) return "user:password@";
  return null;
}

function get(url: string, options: FeedClientOptions, maxBytes: number, accept: string): Promise<Fetched> {
  const problem = feedUrlProblem(url);
  if (problem) return Promise.resolve(fail("FEED_ADDRESS_REFUSED", problem));
  const target = new URL(url);
  const literal = target.hostname.replace(/^\[|\]$/g, "");
  if (isIP(literal) && !options.allowPrivate && isPrivateAddress(literal)) {
    return Promise.resolve(fail("FEED_ADDRESS_REFUSED", literal));
  }
  return new Promise((resolve) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const done = (result: Fetched) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const lookup: typeof dnsLookup = ((hostname: string, lookupOptions: object, callback: never) => {
      dnsLookup(hostname, { ...lookupOptions, all: true }, (error, addresses: LookupAddress[]) => {
        const cb = callback as (error: Error | null, address: string | LookupAddress[], family?: number) => void;
        if (error) return cb(error, []);
        const refused = addresses.find((entry) => !options.allowPrivate && isPrivateAddress(entry.address));
        if (refused) return cb(new LeerlusError("FEED_ADDRESS_REFUSED", `${hostname} → ${refused.address}`), []);
        return cb(null, addresses);
      });
    }) as never;
    const send = target.protocol === "https:" ? httpsRequest : httpRequest;
    const request = send(target, { method: "GET", lookup, headers: { accept, "user-agent": "Leerlus lesson feed" } });
    timer = setTimeout(() => {
      request.destroy();
      done(fail("FEED_TIMEOUT", `${options.timeoutMs / 1000} s`));
    }, options.timeoutMs);
    request.on("error", (error: Error & { code?: string }) =>
      done(
        error instanceof LeerlusError
          ? { ok: false, error }
          : fail("FEED_UNREACHABLE", `${target.host}: ${error.code ?? error.message}`),
      ),
    );
    request.on("response", (response: IncomingMessage) => {
      const declared = Number(response.headers["content-length"] ?? 0);
      if (declared > maxBytes) {
        request.destroy();
        return done(fail("FEED_TOO_LARGE", `> ${maxBytes} B`));
      }
      const chunks: Buffer[] = [];
      let length = 0;
      response.on("data", (chunk: Buffer) => {
        length += chunk.length;
        if (length > maxBytes) {
          request.destroy();
          return done(fail("FEED_TOO_LARGE", `> ${maxBytes} B`));
        }
        chunks.push(chunk);
      });
      response.on("error", () => done(fail("FEED_UNREACHABLE", `${target.host}: ECONNRESET`)));
      response.on("end", () => {
        const headers = Object.fromEntries(
          Object.entries(response.headers).flatMap(([name, value]) =>
            typeof value === "string" ? [[name, value]] : Array.isArray(value) ? [[name, value.join(", ")]] : [],
          ),
        );
        done({ ok: true, status: response.statusCode ?? 0, headers, body: Buffer.concat(chunks) });
      });
    });
    request.end();
  });
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
}

/** Whether the response is signed by the pinned key over SIGNED_COMPONENTS, and the body is the one signed. */
async function verified(fetched: { status: number; headers: Record<string, string>; body: Buffer }, key: FeedKey) {
  if (fetched.headers["content-digest"] !== contentDigest(fetched.body)) return false;
  const publicKey = publicKeyFromJwk(key.publicKey);
  try {
    const result = await httpbis.verifyMessage(
      {
        keyLookup: async (params) =>
          params.keyid === key.keyId
            ? {
                id: key.keyId,
                algs: ["ed25519"],
                verify: async (data, signature) => verify(null, data, publicKey, signature),
              }
            : null,
        requiredFields: SIGNED_COMPONENTS,
        requiredParams: ["created", "keyid", "alg"],
        tolerance: 60,
      },
      { status: fetched.status, headers: fetched.headers },
    );
    return result === true;
  } catch {
    return false;
  }
}

export function createFeedClient(options: FeedClientOptions): FeedClient {
  return {
    async fetchKey(feedUrl) {
      const problem = feedUrlProblem(feedUrl);
      if (problem) return fail("FEED_ADDRESS_REFUSED", problem);
      const fetched = await get(new URL(KEY_DIRECTORY_PATH, feedUrl).href, options, KEY_MAX_BYTES, "application/json");
      if (!fetched.ok) return fetched;
      if (fetched.status !== 200) return fail("FEED_KEY_UNAVAILABLE", `${KEY_DIRECTORY_PATH}: HTTP ${fetched.status}`);
      const json = parseJson(fetched.body) as { keys?: { kty?: unknown; crv?: unknown; x?: unknown }[] } | undefined;
      const jwk = json?.keys?.find?.(
        (entry) => entry?.kty === "OKP" && entry.crv === "Ed25519" && typeof entry.x === "string",
      );
      if (!jwk || !/^[A-Za-z0-9_-]{43}$/.test(jwk.x as string)) {
        return fail("FEED_KEY_UNAVAILABLE", `${KEY_DIRECTORY_PATH}: Ed25519?`);
      }
      const x = jwk.x as string;
      return { ok: true, key: { keyId: jwkThumbprint(x), publicKey: x } };
    },

    async fetchPage(url, key) {
      const fetched = await get(url, options, options.maxBytes, "application/activity+json");
      if (!fetched.ok) return fetched;
      if (fetched.status !== 200) return fail("FEED_HTTP_STATUS", `HTTP ${fetched.status}`);
      if (!(await verified(fetched, key))) {
        return fail("FEED_SIGNATURE_INVALID", fingerprintText(key.keyId));
      }
      const json = parseJson(fetched.body);
      return json === undefined ? fail("FEED_MALFORMED", "JSON") : { ok: true, json };
    },
  };
}
