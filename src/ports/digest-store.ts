import type { DigestContent, DigestFacts } from "../domain/digest-content.ts";

export type DigestStore = {
  lastPeriodEnd(organisationId: string, audience: string): Promise<Date | null>;
  /** Creates the digest for a period once; null when it already exists. */
  create(input: {
    organisationId: string;
    audience: string;
    periodStart: Date;
    periodEnd: Date;
    content: DigestContent;
  }): Promise<string | null>;
  /** How many days a digest period lasts (weekly 7, four-weekly 28); null for an unknown organisation. */
  everyDays(organisationId: string): Promise<number | null>;
  /** The aggregates of a period and the periods of the same length before it (bucket 0 is the period). */
  facts(input: { organisationId: string; periodStart: Date; periodEnd: Date; history?: number }): Promise<DigestFacts>;
  get(digestId: string): Promise<StoredDigest | null>;
  /** Past digests of an audience, newest first. */
  list(
    organisationId: string,
    audience: string,
  ): Promise<{ id: string; periodStart: Date; periodEnd: Date; createdAt: Date }[]>;
};

export type StoredDigest = {
  id: string;
  organisationId: string;
  audience: string;
  periodStart: Date;
  periodEnd: Date;
  content: DigestContent;
  createdAt: Date;
};
