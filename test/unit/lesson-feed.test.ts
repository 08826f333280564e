// The lesson feed's pure parts: the AS2 page, cursors, fingerprints, the subscriber's address
// policy and command words, and that the signature is RFC 9421's, checked without the library.
import { createPublicKey, generateKeyPairSync, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseCommand } from "../../src/domain/command.ts";
import { decodeCursor, encodeCursor, type FeedEntry, feedPage, fingerprintText } from "../../src/domain/lesson-feed.ts";
import { feedUrlProblem, isPrivateAddress } from "../../src/runtime/lesson-feed-client.ts";
import { jwkThumbprint } from "../../src/runtime/lesson-feed-key.ts";
import { contentDigest, SIGNED_COMPONENTS, signFeedResponse } from "../../src/runtime/lesson-feed-routes.ts";
import { feedPageSchema } from "../../src/use-cases/lessons/feed-page-schema.ts";

const ID = "6f1c2a4e-8b7d-4c1e-9f3a-2d5e6b7c8a90";
const AT = new Date("2026-12-01T09:30:00.123Z");

const lesson: FeedEntry = {
  kind: "lesson",
  lesson: {
    id: ID,
    text: "Betrek bewoners vóór de eerste schets.",
    context: null,
    recommendation: "Plan een proef.",
    project: "Slimme straatreiniging",
    phase: "pilot",
    themes: ["user-involvement"],
    disciplines: ["policy"],
    publisher: "Gemeente Alfa",
    licence: "CC BY 4.0",
    contact: "kennis@alfa.example",
    createdAt: AT,
    updatedAt: AT,
  },
};

describe("lesson feed format", () => {
  it("round-trips a cursor and refuses anything else", () => {
    expect(decodeCursor(encodeCursor({ at: AT, id: ID }))).toEqual({ at: AT, id: ID });
    expect(decodeCursor("nonsense")).toBeNull();
    expect(decodeCursor(Buffer.from(`1.${ID}'; DROP`).toString("base64url"))).toBeNull();
  });

  it("links to the next page after the last change, and ends with an empty page", () => {
    const url = "https://alfa.example/lessons/feed/x";
    const gone: FeedEntry = { kind: "gone", id: ID, deletedAt: new Date(AT.getTime() + 1000) };
    const page = feedPage({ url, pageUrl: `${url}?page=true`, entries: [lesson, gone], limit: 2 });
    expect(page.orderedItems.map((item) => item.type)).toEqual(["Note", "Tombstone"]);
    const next = new URL(page.next as string);
    expect(next.searchParams.get("limit")).toBe("2");
    expect(decodeCursor(next.searchParams.get("after") as string)).toEqual({ at: gone.deletedAt, id: ID });
    expect(feedPage({ url, pageUrl: url, entries: [] })).not.toHaveProperty("next");
    // What a subscriber reads back is what was published.
    const parsed = feedPageSchema.parse(JSON.parse(JSON.stringify(page)));
    expect(parsed.orderedItems[0]).toMatchObject({ content: lesson.lesson.text, lesson: { licence: "CC BY 4.0" } });
  });

  it("shows a key's thumbprint as hex pairs", () => {
    expect(fingerprintText(Buffer.from([0xab, 0x01, 0xff]).toString("base64url"))).toBe("SHA256:AB:01:FF");
  });
});

describe("lesson feed signature", () => {
  it("is an RFC 9421 Ed25519 signature over status, content type and digest", async () => {
    const pair = generateKeyPairSync("ed25519");
    const x = (pair.publicKey.export({ format: "jwk" }) as { x: string }).x;
    const body = Buffer.from('{"type":"OrderedCollectionPage"}');
    const headers = await signFeedResponse({ keyId: jwkThumbprint(x), privateKey: pair.privateKey }, 200, {
      "content-type": "application/activity+json; charset=utf-8",
      "content-digest": contentDigest(body),
    });
    const input = headers["Signature-Input"] as string;
    const params = input.replace(/^sig=/, "");
    expect(params).toMatch(
      /^\("@status" "content-type" "content-digest"\);created=\d+;expires=\d+;keyid="[^"]+";alg="ed25519"$/,
    );
    // The signature base as RFC 9421 section 2.5 builds it, by hand.
    const base = [
      `"@status": 200`,
      `"content-type": application/activity+json; charset=utf-8`,
      `"content-digest": ${contentDigest(body)}`,
      `"@signature-params": ${params}`,
    ].join("\n");
    const signature = Buffer.from(/^sig=:(.+):$/.exec(headers.Signature as string)?.[1] as string, "base64");
    const key = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x }, format: "jwk" });
    expect(verify(null, Buffer.from(base), key, signature)).toBe(true);
    expect(SIGNED_COMPONENTS).toEqual(["@status", "content-type", "content-digest"]);
    // RFC 9530: sha-256 as a byte sequence.
    expect(contentDigest(Buffer.from("hello"))).toBe("sha-256=:LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=:");
  });
});

describe("lesson feed addresses", () => {
  it("takes http and https only, without credentials", () => {
    expect(feedUrlProblem("https://alfa.example/lessons/feed/x")).toBeNull();
    expect(feedUrlProblem("ftp://alfa.example/x")).toBe("ftp:");
    expect(feedUrlProblem("file:///etc/passwd")).toBe("file:");
    expect(feedUrlProblem("https://user:pw@alfa.example/")).toBe("user:password@");
    expect(feedUrlProblem("not a url")).toBe("URL");
  });

  it("counts loopback, private, link-local and mapped addresses as private", () => {
    for (const address of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "::1",
      "fd00::1",
      "fe80::1",
      "::ffff:127.0.0.1",
      "0.0.0.0",
    ]) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    for (const address of ["145.97.1.1", "2a00:1450:4001::1", "::ffff:145.97.1.1"]) {
      expect(isPrivateAddress(address), address).toBe(false);
    }
  });
});

describe("lesson feed commands", () => {
  it("reads subscribe, subscriptions and unsubscribe in both languages", () => {
    expect(parseCommand("lessons subscribe https://a.example/f")).toEqual({
      name: "feed-subscribe",
      url: "https://a.example/f",
    });
    expect(parseCommand("lessen abonneren https://a.example/f")).toEqual({
      name: "feed-subscribe",
      url: "https://a.example/f",
    });
    expect(parseCommand("lessons unsubscribe https://a.example/f")).toEqual({
      name: "feed-unsubscribe",
      url: "https://a.example/f",
    });
    expect(parseCommand("lessen opzeggen https://a.example/f")).toEqual({
      name: "feed-unsubscribe",
      url: "https://a.example/f",
    });
    expect(parseCommand("lessons subscriptions")).toEqual({ name: "feed-subscriptions" });
    expect(parseCommand("lessen abonnementen")).toEqual({ name: "feed-subscriptions" });
    // A search for the word itself still searches.
    expect(parseCommand("lessons subscribers")).toEqual({ name: "lessons", query: "subscribers" });
  });
});
