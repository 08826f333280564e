// The lesson exchange of one installation, wired: the feed store, the signing key (sealed
// like Slack tokens), the HTTP client that reads other feeds, and the publishing routes.
import type { Router } from "express";
import { fingerprintText } from "../domain/lesson-feed.ts";
import { DEFAULT_LICENCE } from "../domain/lesson-text.ts";
import type { Db } from "../persistence/database.ts";
import { createLessonFeedRepository } from "../persistence/lesson-feed-repository.ts";
import type { TokenCipher } from "../persistence/token-cipher.ts";
import type { LessonExchange } from "../ports/lesson-feed.ts";
import type { Logger } from "../ports/logger.ts";
import type { Stores } from "../ports/stores.ts";
import { createFeedClient, FEED_CLIENT_DEFAULTS, type FeedClientOptions } from "./lesson-feed-client.ts";
import { createFeedKeyring } from "./lesson-feed-key.ts";
import { createLessonFeedRouter, FEED_PATH } from "./lesson-feed-routes.ts";

/** Changes are published once this old; see lessonFeedDocument. */
export const FEED_SETTLE_MS = 30_000;

export function createLessonExchange(input: {
  db: Db;
  stores: Stores;
  cipher: TokenCipher;
  publicUrl: string;
  logger: Logger;
  client?: Partial<FeedClientOptions>;
  settleMs?: number;
}): { exchange: LessonExchange; router: () => Router } {
  const store = createLessonFeedRepository(input.db, { defaultLicence: DEFAULT_LICENCE });
  const key = createFeedKeyring(store, input.cipher);
  const base = input.publicUrl.replace(/\/+$/, "");
  const exchange: LessonExchange = {
    store,
    client: createFeedClient({ ...FEED_CLIENT_DEFAULTS, ...input.client }),
    feedUrl: (organisationId) => `${base}${FEED_PATH}/${organisationId}`,
    fingerprint: async () => fingerprintText((await key()).keyId),
  };
  const router = () =>
    createLessonFeedRouter({
      stores: input.stores,
      feeds: store,
      key,
      publicUrl: input.publicUrl,
      settleMs: input.settleMs ?? FEED_SETTLE_MS,
      logger: input.logger,
    });
  return { exchange, router };
}
