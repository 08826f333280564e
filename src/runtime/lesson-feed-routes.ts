// The lesson feed's HTTP surface: `GET /lessons/feed/<organisation id>` (ActivityStreams 2.0,
// src/use-cases/lessons/publish-feed.ts) and the installation's public key at
// `/.well-known/http-message-signatures-directory` (a JWK Set, as the HTTP Message Signatures
// directory draft names it). Every feed response is signed with HTTP Message Signatures
// (RFC 9421, Ed25519) over its status, content type and Content-Digest (RFC 9530), so a
// subscriber holding the pinned key can tell the body came from this installation unchanged.
import { createHash, sign } from "node:crypto";
import express, { type Router } from "express";
import { httpbis } from "http-message-signatures";
import { FEED_MEDIA_TYPE } from "../domain/lesson-feed.ts";
import type { LessonFeedStore } from "../ports/lesson-feed.ts";
import type { Logger } from "../ports/logger.ts";
import type { Stores } from "../ports/stores.ts";
import { lessonFeedDocument } from "../use-cases/lessons/publish-feed.ts";
import type { FeedSigningKey } from "./lesson-feed-key.ts";

export const FEED_PATH = "/lessons/feed";
export const KEY_DIRECTORY_PATH = "/.well-known/http-message-signatures-directory";
/** The components every feed signature covers; the subscriber requires the same. */
export const SIGNED_COMPONENTS = ["@status", "content-type", "content-digest"];
/** How long a signature holds: a replayed page is refused after this. */
export const SIGNATURE_LIFETIME_MS = 5 * 60_000;

export const contentDigest = (body: Buffer) => `sha-256=:${createHash("sha256").update(body).digest("base64")}:`;

/** Signs a response's status and headers (the body through its Content-Digest). */
export async function signFeedResponse(
  key: Pick<FeedSigningKey, "keyId" | "privateKey">,
  status: number,
  headers: Record<string, string>,
  now = new Date(),
): Promise<Record<string, string>> {
  const signed = await httpbis.signMessage(
    {
      key: { id: key.keyId, alg: "ed25519", sign: async (data: Buffer) => sign(null, data, key.privateKey) },
      fields: SIGNED_COMPONENTS,
      params: ["created", "expires", "keyid", "alg"],
      paramValues: { created: now, expires: new Date(now.getTime() + SIGNATURE_LIFETIME_MS) },
    },
    { status, headers },
  );
  return signed.headers as Record<string, string>;
}

export function createLessonFeedRouter(input: {
  stores: Stores;
  feeds: LessonFeedStore;
  key: () => Promise<FeedSigningKey>;
  /** Where subscribers reach this installation (PUBLIC_URL): the feed's own URLs start with it. */
  publicUrl: string;
  /** See lessonFeedDocument; 0 in tests. */
  settleMs: number;
  logger: Logger;
}): Router {
  const router = express.Router();
  const base = input.publicUrl.replace(/\/+$/, "");

  router.get(KEY_DIRECTORY_PATH, async (_request, response, next) => {
    try {
      const key = await input.key();
      response
        .type("application/http-message-signatures-directory+json")
        .set("Cache-Control", "max-age=3600")
        .send(JSON.stringify({ keys: [key.jwk] }));
    } catch (error) {
      next(error);
    }
  });

  router.get(`${FEED_PATH}/:organisationId`, async (request, response, next) => {
    try {
      const result = await lessonFeedDocument(
        { stores: input.stores, feeds: input.feeds },
        {
          organisationId: request.params.organisationId,
          url: `${base}${FEED_PATH}/${request.params.organisationId}`,
          query: request.query,
          settleMs: input.settleMs,
        },
      );
      const body = Buffer.from(
        JSON.stringify(result.status === 200 ? result.body : { error: { code: result.code, message: result.message } }),
      );
      const headers = await signFeedResponse(await input.key(), result.status, {
        "content-type": result.status === 200 ? FEED_MEDIA_TYPE : "application/json; charset=utf-8",
        "content-digest": contentDigest(body),
      });
      response.status(result.status).set(headers).set("Cache-Control", "no-store").send(body);
    } catch (error) {
      next(error);
    }
  });
  return router;
}
