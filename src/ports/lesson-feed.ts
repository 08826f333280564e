// The lesson exchange between installations: this installation's feed and signing key, the
// feeds its organisations subscribe to, and the HTTP client that reads them. Implemented in
// src/persistence/lesson-feed-repository.ts and src/runtime/lesson-feed-client.ts.

import type { LeerlusError } from "../domain/leerlus-error.ts";
import type { FeedCursor, FeedEntry, FeedLesson } from "../domain/lesson-feed.ts";

export type Subscription = {
  id: string;
  organisationId: string;
  url: string;
  keyId: string;
  /** The publisher's Ed25519 public key as pinned at subscribe time (JWK `x`, base64url). */
  publicKey: string;
  nextUrl: string;
  /** An error code and what it is about, e.g. `FEED_TOO_LARGE`; null after a good pull. */
  lastError: string | null;
  failures: number;
  nextAttemptAt: Date;
  lastPulledAt: Date | null;
  lessons: number;
};

/** A lesson pulled from a feed, to insert or update by its id there (`feedItemId`). */
export type PulledLesson = Omit<FeedLesson, "id" | "project" | "updatedAt"> & { feedItemId: string };

export type LessonFeedStore = {
  /** The organisation's published changes after `after` (or from `since`), at least `settleMs` old by the database's clock. */
  entries(input: {
    organisationId: string;
    after: FeedCursor | null;
    since: Date | null;
    settleMs: number;
    limit: number;
  }): Promise<FeedEntry[]>;
  publishedCount(organisationId: string): Promise<number>;
  /** The installation's key, or null before the first one is made. */
  signingKey(): Promise<{ publicKey: string; privateKeySealed: string } | null>;
  /** Stores the key unless another process stored one first; returns the one that counts. */
  saveSigningKey(key: {
    publicKey: string;
    privateKeySealed: string;
  }): Promise<{ publicKey: string; privateKeySealed: string }>;
  subscribe(
    input: Omit<Subscription, "id" | "lastError" | "failures" | "nextAttemptAt" | "lastPulledAt" | "lessons">,
  ): Promise<{ id: string; created: boolean }>;
  subscriptions(organisationId: string): Promise<Subscription[]>;
  subscription(id: string): Promise<Subscription | null>;
  subscriptionIds(): Promise<string[]>;
  /** Removes the subscription and every lesson pulled through it. */
  unsubscribe(organisationId: string, url: string): Promise<boolean>;
  /**
   * One page in one transaction: lessons inserted or updated, gone ones deleted, and only
   * then the position moved to `nextUrl`. A page read twice changes nothing.
   */
  applyPage(
    subscriptionId: string,
    page: { lessons: PulledLesson[]; gone: string[]; nextUrl: string; at: Date },
  ): Promise<void>;
  recordFailure(subscriptionId: string, error: string, nextAttemptAt: Date): Promise<void>;
};

export type FeedKey = { keyId: string; publicKey: string };

/** A page whose signature and digest checked out, as parsed JSON; its shape is checked by the pull. */
export type FeedFetchResult = { ok: true; json: unknown } | { ok: false; error: LeerlusError };

/** Reads feeds over HTTP(S), bounded in time and bytes, checking the publisher's signature. */
export type FeedClient = {
  /** The publisher's key from the feed's origin, to pin at subscribe time. */
  fetchKey(feedUrl: string): Promise<{ ok: true; key: FeedKey } | { ok: false; error: LeerlusError }>;
  fetchPage(url: string, key: FeedKey): Promise<FeedFetchResult>;
};

/** What the lesson exchange needs beside the stores. */
export type LessonExchange = {
  store: LessonFeedStore;
  client: FeedClient;
  /** The organisation's feed URL. */
  feedUrl(organisationId: string): string;
  /** This installation's key fingerprint, as fingerprintText shows it. */
  fingerprint(): Promise<string>;
};
