// Two Leerlus installations in one test: each its own database and HTTP app on a free port,
// B with its real worker and job schedulers on Redis. A publishes its shared lessons as a
// signed feed; B's admin subscribes in chat and B's scheduled pull brings them in.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lessonsCommand } from "../../src/cli/lessons-command.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import { createTokenCipher, deriveKeyBase64 } from "../../src/persistence/token-cipher.ts";
import { createStores } from "../../src/persistence/unit-of-work.ts";
import { systemClock } from "../../src/ports/clock.ts";
import { silentLogger } from "../../src/ports/logger.ts";
import { createCore } from "../../src/runtime/core.ts";
import { createDutchHolidayCalendar } from "../../src/runtime/dutch-holiday-calendar.ts";
import { createHttpApp } from "../../src/runtime/http-app.ts";
import { createLessonExchange } from "../../src/runtime/lesson-exchange.ts";
import { contentDigest, signFeedResponse } from "../../src/runtime/lesson-feed-routes.ts";
import { reconcile } from "../../src/scheduler/reconciler.ts";
import { productionSchedule } from "../../src/scheduler/schedule-settings.ts";
import { startWorkers } from "../../src/scheduler/start-workers.ts";
import { pullFeed } from "../../src/use-cases/lessons/pull-feed.ts";
import { runCommand } from "../../src/use-cases/run-command.ts";
import { freePort } from "../support/free-port.ts";
import { closeServer } from "../support/listen-app.ts";
import { eventually } from "../support/test-clock.ts";
import { prompts, REDIS_URL, TEST_SECRET } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const ALFA = "00000000-0000-4000-8000-00000000a001";
const PAGE_BYTES = 64 * 1024;
const PULL = { maxPages: 20, backoff: { baseMs: 150, maxMs: 600 } };
const cipher = createTokenCipher(deriveKeyBase64(TEST_SECRET, "lesson-feed-key"));
const CLIENT = { allowPrivate: true, timeoutMs: 2_000, maxBytes: PAGE_BYTES };

const textOf = (message: { blocks: unknown[] }) => JSON.stringify(message.blocks).replace(/\\"/g, '"');

/** A small HTTP server whose handler the test swaps. */
async function stubServer(handler: (path: string, respond: import("node:http").ServerResponse) => void) {
  const server = createServer((req, res) => handler(req.url ?? "/", res));
  server.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** GET from A, as raw status, headers and body. */
function getRaw(url: string): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)])),
          body: Buffer.concat(chunks),
        }),
      );
    })
      .on("error", reject)
      .end();
  });
}

describe("lesson exchange between two installations", () => {
  let a: TestDatabase;
  let b: TestDatabase;
  let aPort: number;
  let aServer: Server | undefined;
  let aFeed: string;
  let aExchange: ReturnType<typeof createLessonExchange>;
  let bExchange: ReturnType<typeof createLessonExchange>;
  let bCore: ReturnType<typeof createCore>;
  let bWorkers: { close(): Promise<void> };
  let bServer: Server;
  let bPort: number;
  const extraServers: Server[] = [];

  const startA = async () => {
    const app = createHttpApp({
      routers: [aExchange.router()],
      readiness: [],
      metrics: async () => "",
      logger: silentLogger,
    });
    aServer = app.listen(aPort, "127.0.0.1");
    await new Promise<void>((resolve) => aServer?.once("listening", () => resolve()));
  };
  const shared = (text: string, extra: Record<string, unknown> = {}) =>
    a.prisma.lesson.create({
      data: {
        organisationId: ALFA,
        phase: "pilot",
        text,
        themes: ["communication"],
        disciplines: ["communication"],
        visibility: "shared",
        contact: "kennisdeling@alfa.example",
        ...extra,
      },
    });
  const admin = async () => {
    const person = await bCore.deps.stores.directory.person(DEMO_IDS.karin);
    if (!person) throw new Error("no admin");
    return person;
  };
  const chat = async (text: string) =>
    (await runCommand(bCore.deps, await admin(), text, { platform: "web", conversationRef: "web:karin" }))
      .map(textOf)
      .join("\n");
  const atB = (where: Record<string, unknown> = {}) =>
    b.prisma.lesson.findMany({ where: { source: "feed", ...where }, orderBy: { createdAt: "asc" } });

  beforeAll(async () => {
    [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    await a.prisma.organisation.create({ data: { id: ALFA, name: "Gemeente Alfa" } });
    await seedDemo(b.db, { now: new Date(), fast: false });
    await b.prisma.person.update({ where: { id: DEMO_IDS.karin }, data: { roles: { push: "admin" } } });
    aPort = await freePort();
    aFeed = `http://127.0.0.1:${aPort}/lessons/feed/${ALFA}`;
    aExchange = createLessonExchange({
      db: a.db,
      stores: createStores(a.db),
      cipher,
      publicUrl: `http://127.0.0.1:${aPort}`,
      logger: silentLogger,
      client: CLIENT,
      settleMs: 0,
    });
    await startA();
    bPort = await freePort();
    bExchange = createLessonExchange({
      db: b.db,
      stores: createStores(b.db),
      cipher,
      publicUrl: `http://127.0.0.1:${bPort}`,
      logger: silentLogger,
      client: CLIENT,
      settleMs: 0,
    });
    bServer = createHttpApp({
      routers: [bExchange.router()],
      readiness: [],
      metrics: async () => "",
      logger: silentLogger,
    }).listen(bPort, "127.0.0.1");
    bCore = createCore({
      db: b.db,
      redisUrl: REDIS_URL,
      queuePrefix: `t${randomBytes(5).toString("hex")}`,
      prompts,
      clock: systemClock,
      holidays: createDutchHolidayCalendar(),
      logger: silentLogger,
      secret: TEST_SECRET,
      publicUrl: `http://127.0.0.1:${bPort}`,
      exchange: bExchange.exchange,
    });
    bWorkers = startWorkers({
      connection: bCore.connection,
      names: bCore.names,
      deps: bCore.deps,
      adapters: new Map(),
      queues: { ticks: true, deliveries: false },
      lessonFeedPull: PULL,
    });
  });

  afterAll(async () => {
    await bWorkers?.close();
    await bCore?.close();
    for (const server of [aServer, bServer, ...extraServers]) await closeServer(server);
    await Promise.all([a?.drop(), b?.drop()]);
  });

  const reconcileB = () =>
    reconcile({
      stores: bCore.deps.stores,
      ticks: bCore.ticks,
      dispatcher: bCore.deps.dispatcher,
      schedule: { ...productionSchedule(60), lessonFeeds: { every: 200 } },
      logger: silentLogger,
      lessonFeeds: bExchange.exchange.store,
    });

  it("publishes only shared, confirmed lessons, with lesson fields only, signed", async () => {
    await shared("Begin klein en laat bewoners vroeg meedoen.", { recommendation: "Plan een proef met tien straten." });
    await shared("Alleen voor het team.", { visibility: "team" });
    await shared("Alleen binnen de organisatie.", { visibility: "organisation" });
    await shared("Nog een voorstel uit een antwoord.", { status: "proposed" });
    const collection = await getRaw(aFeed);
    expect(collection.status).toBe(200);
    expect(collection.headers["content-type"]).toContain("application/activity+json");
    expect(JSON.parse(collection.body.toString())).toMatchObject({ type: "OrderedCollection", totalItems: 1 });
    const page = await getRaw(`${aFeed}?page=true`);
    expect(page.headers["content-digest"]).toBe(contentDigest(page.body));
    expect(page.headers["signature-input"]).toMatch(/^sig=\("@status" "content-type" "content-digest"\);/);
    const body = JSON.parse(page.body.toString());
    expect(body.orderedItems).toHaveLength(1);
    const [note] = body.orderedItems;
    expect(Object.keys(note).sort()).toEqual(
      ["attributedTo", "content", "id", "lesson", "mediaType", "published", "type", "updated"].sort(),
    );
    expect(Object.keys(note.lesson).sort()).toEqual(
      ["context", "contact", "disciplines", "licence", "phase", "project", "recommendation", "themes"].sort(),
    );
    expect(note).toMatchObject({
      type: "Note",
      attributedTo: { name: "Gemeente Alfa" },
      lesson: { licence: "CC BY 4.0" },
    });
    // A bad cursor is a clear 400, signed like every answer.
    const bad = await getRaw(`${aFeed}?page=true&after=nonsense`);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body.toString()).error.code).toBe("FEED_QUERY_INVALID");
  });

  it("subscribes in chat with the publisher's fingerprint, and the scheduled pull brings the lesson with publisher and licence", async () => {
    const fingerprint = await aExchange.exchange.fingerprint();
    const reply = await chat(`lessons subscribe ${aFeed}`);
    expect(reply).toContain(fingerprint);
    await reconcileB();
    const [lesson] = await eventually(async () => {
      const rows = await atB();
      return rows.length === 1 && rows;
    });
    expect(lesson).toMatchObject({
      organisationId: DEMO_IDS.organisation,
      text: "Begin klein en laat bewoners vroeg meedoen.",
      recommendation: "Plan een proef met tien straten.",
      publisher: "Gemeente Alfa",
      licence: "CC BY 4.0",
      contact: "kennisdeling@alfa.example",
    });
    const found = await chat("lessen bewoners");
    expect(found).toContain("gedeeld door Gemeente Alfa, CC BY 4.0");
    const list = await chat("lessen abonnementen");
    expect(list).toContain(aFeed);
    expect(list).toContain("1 les");
    expect(list).toContain("laatst gelezen op");
    // Redis may lose everything: the reconciler puts the subscription's scheduler back.
    const id = (await b.prisma.lessonSubscription.findFirstOrThrow()).id;
    await bCore.ticks.removeJobScheduler(`lesson-feed-${id}`);
    await reconcileB();
    expect((await bCore.ticks.getJobSchedulers(0, -1)).map((job) => job.key)).toContain(`lesson-feed-${id}`);
    // Subscribing again adds nothing.
    expect(await chat(`lessons subscribe ${aFeed}`)).toContain("Je bent al geabonneerd");
    expect(await b.prisma.lessonSubscription.count()).toBe(1);
  });

  it("an edit at A reaches B as the same lesson", async () => {
    const original = await a.prisma.lesson.findFirstOrThrow({ where: { text: { startsWith: "Begin klein" } } });
    await createStores(a.db).library.edit(
      original.id,
      { text: "Begin klein, en laat bewoners al bij de schets meedoen." },
      null,
    );
    await eventually(async () => {
      const rows = await atB();
      return rows.length === 1 && rows[0]?.text.includes("al bij de schets") && rows;
    });
  });

  it("a withdrawn lesson and an erased one disappear at B", async () => {
    const withdrawn = await shared("Deze les trekken we in.");
    const erased = await shared("Deze les wordt gewist.");
    await eventually(async () => (await atB()).length === 3);
    await createStores(a.db).library.edit(withdrawn.id, { visibility: "organisation" }, null);
    // Erasure by any path: the row is gone, the trigger leaves a tombstone.
    await a.prisma.lesson.delete({ where: { id: erased.id } });
    const rows = await eventually(async () => {
      const now = await atB();
      return now.length === 1 && now;
    });
    expect(rows[0]?.text).toContain("Begin klein");
    const page = JSON.parse((await getRaw(`${aFeed}?page=true`)).body.toString());
    const tombstones = page.orderedItems.filter((item: { type: string }) => item.type === "Tombstone");
    expect(tombstones.map((item: { id: string }) => item.id).sort()).toEqual(
      [`urn:uuid:${withdrawn.id}`, `urn:uuid:${erased.id}`].sort(),
    );
    expect(JSON.stringify(tombstones)).not.toContain("trekken");
  });

  it("retries a publisher that is down with back-off, then catches up without loss or doubles", async () => {
    await closeServer(aServer);
    const texts = Array.from({ length: 7 }, (_, index) => `Les ${index + 1} tijdens de storing.`);
    for (const text of texts) await shared(text);
    const failing = await eventually(async () => {
      const [subscription] = await bExchange.exchange.store.subscriptions(DEMO_IDS.organisation);
      return subscription && subscription.failures >= 2 && subscription;
    });
    expect(failing.lastError).toMatch(/^FEED_UNREACHABLE: 127\.0\.0\.1:\d+: ECONNREFUSED/);
    expect(await chat("lessons subscriptions")).toContain("de andere installatie is niet bereikbaar");
    await startA();
    const rows = await eventually(async () => {
      const now = await atB();
      return now.length === 8 && now;
    }, 20_000);
    expect(new Set(rows.map((row) => row.feedItemId)).size).toBe(8);
    expect(rows.map((row) => row.text)).toEqual(expect.arrayContaining(texts));
    const [subscription] = await bExchange.exchange.store.subscriptions(DEMO_IDS.organisation);
    expect(subscription).toMatchObject({ lastError: null, failures: 0, lessons: 8 });
    // Reading every page again from the start, three changes a page, changes nothing.
    await b.prisma.lessonSubscription.update({
      where: { id: subscription?.id },
      data: { nextUrl: `${aFeed}?limit=3` },
    });
    const again = await pullFeed({ ...bCore.deps, exchange: bExchange.exchange }, subscription?.id as string, PULL, {
      force: true,
    });
    expect(again).toMatchObject({ outcome: "done", stored: 8, removed: 2 });
    expect((again as { pages: number }).pages).toBeGreaterThanOrEqual(5);
    expect(await atB()).toHaveLength(8);
  });

  describe("feeds that must be refused", () => {
    const subscribeTo = async (base: string) => {
      const url = `${base}/lessons/feed/${ALFA}`;
      const result = await chat(`lessons subscribe ${url}`);
      const subscription = await b.prisma.lessonSubscription.findFirstOrThrow({ where: { url } });
      return { url, result, subscription };
    };
    const pull = (id: string) => pullFeed({ ...bCore.deps, exchange: bExchange.exchange }, id, PULL, { force: true });
    const storedFor = (id: string) => b.prisma.lesson.count({ where: { feedSubscriptionId: id } });

    /** Passes A's key directory through, and A's feed answers changed by `change`. */
    async function proxyOfA(
      change: (raw: Awaited<ReturnType<typeof getRaw>>) => Promise<{ headers: Record<string, string>; body: Buffer }>,
    ) {
      const stub = await stubServer(async (path, res) => {
        const raw = await getRaw(`http://127.0.0.1:${aPort}${path}`);
        const out = path.startsWith("/.well-known") ? raw : { ...raw, ...(await change(raw)) };
        const { "content-length": _length, "transfer-encoding": _encoding, connection: _c, ...headers } = out.headers;
        res.writeHead(raw.status, headers).end(out.body);
      });
      extraServers.push(stub.server);
      return stub.base;
    }

    it("refuses a page signed with another key, and stores nothing", async () => {
      const other = generateKeyPairSync("ed25519");
      const base = await proxyOfA(async (raw) => ({
        body: raw.body,
        headers: await signFeedResponse({ keyId: "other", privateKey: other.privateKey }, raw.status, {
          "content-type": raw.headers["content-type"] as string,
          "content-digest": contentDigest(raw.body),
        }),
      }));
      const { subscription, result } = await subscribeTo(base);
      expect(result).toContain(await aExchange.exchange.fingerprint());
      const outcome = await pull(subscription.id);
      expect(outcome).toMatchObject({ outcome: "failed", error: { code: "FEED_SIGNATURE_INVALID" } });
      expect(await storedFor(subscription.id)).toBe(0);
    });

    it("refuses a tampered body under A's own signature, and stores nothing", async () => {
      const base = await proxyOfA(async (raw) => ({
        headers: raw.headers,
        body: Buffer.from(raw.body.toString().replace("Begin klein", "Begin groot")),
      }));
      const { subscription } = await subscribeTo(base);
      // The collection first, then the page whose text is changed.
      await b.prisma.lessonSubscription.update({
        where: { id: subscription.id },
        data: { nextUrl: `${base}/lessons/feed/${ALFA}?page=true` },
      });
      const outcome = await pull(subscription.id);
      expect(outcome).toMatchObject({ outcome: "failed", error: { code: "FEED_SIGNATURE_INVALID" } });
      expect(await storedFor(subscription.id)).toBe(0);
      const list = await chat("lessons subscriptions");
      expect(list).toContain("de handtekening past niet bij de sleutel");
    });

    /** A publisher of its own key whose feed answers are whatever `answer` writes, signed. */
    async function ownPublisher(
      answer: (
        res: import("node:http").ServerResponse,
        sign: (status: number, body: Buffer) => Promise<Record<string, string>>,
      ) => void,
    ) {
      const pair = generateKeyPairSync("ed25519");
      const x = (pair.publicKey.export({ format: "jwk" }) as { x: string }).x;
      const { jwkThumbprint } = await import("../../src/runtime/lesson-feed-key.ts");
      const sign = (status: number, body: Buffer) =>
        signFeedResponse({ keyId: jwkThumbprint(x), privateKey: pair.privateKey }, status, {
          "content-type": "application/activity+json; charset=utf-8",
          "content-digest": contentDigest(body),
        });
      const stub = await stubServer((path, res) => {
        if (path.startsWith("/.well-known")) {
          res
            .writeHead(200, { "content-type": "application/json" })
            .end(JSON.stringify({ keys: [{ kty: "OKP", crv: "Ed25519", x }] }));
        } else answer(res, sign);
      });
      extraServers.push(stub.server);
      return stub.base;
    }

    it("stops reading an endless answer at the byte limit and cuts the connection, with a clear error", async () => {
      let cut = 0;
      const base = await ownPublisher((res) => {
        res.writeHead(200, { "content-type": "application/activity+json" });
        res.once("close", () => {
          if (!res.writableFinished) cut++;
        });
        const chunk = Buffer.alloc(16 * 1024, " ");
        const more = () => {
          while (!res.destroyed) {
            if (!res.write(chunk)) return res.once("drain", more);
          }
        };
        more();
      });
      const { subscription } = await subscribeTo(base);
      const outcome = await pull(subscription.id);
      expect(outcome).toMatchObject({ outcome: "failed", error: { code: "FEED_TOO_LARGE" } });
      // The publisher never finished its answer: the subscriber hung up.
      await eventually(() => cut >= 1);
      expect(await chat("lessons subscriptions")).toContain("het antwoord was te groot");
    });

    it("refuses a malformed feed, signed or not JSON at all, with a clear error", async () => {
      let body = Buffer.from(
        JSON.stringify({ type: "OrderedCollectionPage", orderedItems: [{ type: "Note", id: "x" }] }),
      );
      const base = await ownPublisher(async (res, sign) => {
        res.writeHead(200, await sign(200, body)).end(body);
      });
      const { subscription } = await subscribeTo(base);
      expect(await pull(subscription.id)).toMatchObject({ outcome: "failed", error: { code: "FEED_MALFORMED" } });
      body = Buffer.from("<html>not a feed</html>");
      expect(await pull(subscription.id)).toMatchObject({ outcome: "failed", error: { code: "FEED_MALFORMED" } });
      body = Buffer.from(
        JSON.stringify({
          type: "OrderedCollectionPage",
          orderedItems: Array.from({ length: 101 }, () => ({ type: "Tombstone", id: "x" })),
        }),
      );
      expect(await pull(subscription.id)).toMatchObject({ outcome: "failed", error: { code: "FEED_MALFORMED" } });
      expect(await storedFor(subscription.id)).toBe(0);
      const stored = await b.prisma.lessonSubscription.findUniqueOrThrow({ where: { id: subscription.id } });
      // Each pull counted (the pull queued at subscribing may add one).
      expect(stored.failures).toBeGreaterThanOrEqual(3);
      expect(await chat("lessons subscriptions")).toContain("wat terugkwam, is geen geldige lijst met lessen");
    });

    it("gives up on a publisher that does not answer in time", async () => {
      const base = await ownPublisher(() => {
        // Never answers.
      });
      const { subscription } = await subscribeTo(base);
      expect(await pull(subscription.id)).toMatchObject({ outcome: "failed", error: { code: "FEED_TIMEOUT" } });
    });

    it("refuses other schemes, and private addresses unless allowed", async () => {
      expect(await chat("lessons subscribe ftp://example.org/feed")).toContain("dit adres is niet toegestaan");
      const strict = createLessonExchange({
        db: b.db,
        stores: createStores(b.db),
        cipher,
        publicUrl: "http://127.0.0.1:1",
        logger: silentLogger,
        client: { ...CLIENT, allowPrivate: false },
      });
      const refused = await strict.exchange.client.fetchKey(aFeed);
      expect(refused).toMatchObject({ ok: false, error: { code: "FEED_ADDRESS_REFUSED" } });
      const byName = await strict.exchange.client.fetchKey(`http://localhost:${aPort}/lessons/feed/${ALFA}`);
      expect(byName).toMatchObject({ ok: false, error: { code: "FEED_ADDRESS_REFUSED" } });
    });
  });

  it("shows the feed address, fingerprint and subscriptions in the CLI", async () => {
    let out = "";
    const run = (db: TestDatabase, exchange: typeof aExchange, ...args: string[]) =>
      lessonsCommand(args, {
        db: db.db,
        prompts,
        exchange: async () => exchange.exchange,
        out: (text) => {
          out += text;
        },
        err: (text) => {
          out += text;
        },
      });
    expect(await run(a, aExchange, "subscriptions", "--organisation", ALFA)).toBe(0);
    expect(out).toContain(aFeed);
    expect(out).toContain(await aExchange.exchange.fingerprint());
    expect(out).toContain("Nog geen abonnementen");
    out = "";
    expect(await run(b, bExchange, "subscriptions", "--organisation", DEMO_IDS.organisation)).toBe(0);
    expect(out).toMatch(new RegExp(`${aFeed.replace(/[.?]/g, "\\$&")}: 8 lessen, vingerafdruk van de sleutel SHA256:`));
    out = "";
    expect(await run(b, bExchange, "subscribe", "--organisation", DEMO_IDS.organisation, aFeed)).toBe(0);
    expect(out).toContain("Je bent al geabonneerd");
  });

  it("never republishes lessons that came from another installation's feed", async () => {
    expect(await atB()).toHaveLength(8);
    const page = await getRaw(`http://127.0.0.1:${bPort}/lessons/feed/${DEMO_IDS.organisation}?page=true`);
    expect(page.status).toBe(200);
    expect(page.body.toString()).not.toContain("Gemeente Alfa");
  });

  it("unsubscribing removes the subscription and the lessons that came through it", async () => {
    expect(await chat(`lessen opzeggen ${aFeed}`)).toContain("is opgezegd");
    expect(await atB()).toHaveLength(0);
    expect(await chat("lessons subscriptions")).not.toContain(aFeed);
    await reconcileB();
    const schedulers = (await bCore.ticks.getJobSchedulers(0, -1)).map((job) => job.key);
    expect(schedulers.filter((key) => key.startsWith("lesson-feed-"))).toHaveLength(
      await b.prisma.lessonSubscription.count(),
    );
  });
});
