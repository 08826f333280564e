// Issue #18, point 5: the web surface as it stands behind a real proxy. The real HTTP app with
// the real web adapter (lessons page, demo persona switcher), the queue dashboard, real
// PostgreSQL and Redis; Chromium checks that the Content-Security-Policy leaves the chat working.

import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebAdapter, type WebAdapter } from "../../adapters/web/create-web-adapter.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import { createWebDirectoryRepository } from "../../src/persistence/web-directory-repository.ts";
import { createWebMessageRepository } from "../../src/persistence/web-message-repository.ts";
import { silentLogger } from "../../src/ports/logger.ts";
import { createHttpApp } from "../../src/runtime/http-app.ts";
import { createMetricsCollector } from "../../src/runtime/metrics.ts";
import { createQueueDashboard } from "../../src/runtime/queue-dashboard.ts";
import { createRedisNotifier, type RedisNotifier } from "../../src/scheduler/redis-notifier.ts";
import { handleEventSafely } from "../../src/use-cases/handle-event-safely.ts";
import { createLessonsPage } from "../../src/use-cases/lessons/lessons-page.ts";
import { createLinkSigner } from "../../src/use-cases/signed-link.ts";
import { countWhere } from "../support/fixtures.ts";
import { createTestCore, prompts, REDIS_URL } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const ADMIN_PASSWORD = "admin-password-for-security-tests";
const METRICS_TOKEN = "metrics-token-for-security-tests";
const EVIL = "https://evil.example";

type Served = { server: Server; base: string };

let database: TestDatabase;
let core: ReturnType<typeof createTestCore>;
let notifier: RedisNotifier;
let web: WebAdapter;
let plain: Served;
let behindTls: Served;
let withToken: Served;
const metricsQueries = { count: 0 };

async function serve(app: ReturnType<typeof createHttpApp>): Promise<Served> {
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function stop(served: Served | undefined): Promise<void> {
  if (!served) return;
  served.server.closeAllConnections();
  await new Promise<void>((resolve) => served.server.close(() => resolve()));
}

/** Counts the participation figures' queries: every query from "Delivery" is one. */
function countingDb(db: TestDatabase["db"]): TestDatabase["db"] {
  return new Proxy(db, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      // Called on the database itself: Kysely keeps its state in private fields.
      return (...args: unknown[]) => {
        if (property === "selectFrom" && args[0] === "Delivery") metricsQueries.count++;
        return value.apply(target, args);
      };
    },
  });
}

function webAdapter(secureCookies: boolean): WebAdapter {
  return createWebAdapter({
    store: createWebMessageRepository(database.db),
    notifier,
    directory: createWebDirectoryRepository(database.db),
    linkSigner: createLinkSigner("link-secret-for-security-tests-01"),
    demo: true,
    text: (locale, key, vars) => prompts.t(locale, key, vars),
    sessionSecret: "session-secret-for-security-tests-1",
    lessons: createLessonsPage(core.deps),
    secureCookies,
  });
}

function app(adapter: WebAdapter, options: { publicUrl: string; metricsToken?: string }) {
  return createHttpApp({
    routers: [createQueueDashboard(core.queues(["web"]), ADMIN_PASSWORD), adapter.router],
    readiness: [],
    metrics: createMetricsCollector({ db: countingDb(database.db), queues: () => core.queues(["web"]) }),
    logger: silentLogger,
    publicUrl: options.publicUrl,
    trustProxy: ["loopback"],
    ...(options.metricsToken ? { metricsToken: options.metricsToken } : {}),
    text: (locale, key, vars) => prompts.t(locale, key, vars),
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  notifier = createRedisNotifier({ redisUrl: REDIS_URL, channel: `sec-web-${randomBytes(6).toString("hex")}` });
  let started: WebAdapter | undefined;
  core = createTestCore(database, [
    {
      platform: "web",
      start: async () => {},
      stop: async () => {},
      send: (ref, message, options) => (started as WebAdapter).adapter.send(ref, message, options),
      update: (sent, message) => (started as WebAdapter).adapter.update(sent, message),
      openDirect: (userRef) => (started as WebAdapter).adapter.openDirect(userRef),
    },
  ]);
  await seedDemo(database.db, { now: core.clock.now(), fast: false });
  web = webAdapter(false);
  started = web;
  await web.adapter.start((event) => handleEventSafely(core.deps, event));
  const tlsWeb = webAdapter(true);
  await tlsWeb.adapter.start((event) => handleEventSafely(core.deps, event));
  plain = await serve(app(web, { publicUrl: "http://leerlus.test" }));
  behindTls = await serve(app(tlsWeb, { publicUrl: "https://leerlus.example.org" }));
  withToken = await serve(app(web, { publicUrl: "http://leerlus.test", metricsToken: METRICS_TOKEN }));
});

afterAll(async () => {
  await stop(plain);
  await stop(behindTls);
  await stop(withToken);
  await web?.adapter.stop();
  await core?.close();
  await notifier?.close();
  await database?.drop();
});

/** A session cookie for a demo persona, as the persona switcher gives it. */
async function signIn(base: string, personId: string): Promise<{ cookie: string; setCookie: string }> {
  const response = await fetch(`${base}/?as=${personId}`, { redirect: "manual" });
  expect(response.status).toBe(303);
  const setCookie = response.headers.get("set-cookie") ?? "";
  return { cookie: setCookie.split(";")[0] as string, setCookie };
}

const lessonCount = () => countWhere(database.db, "Lesson", { organisationId: DEMO_IDS.organisation });

const CROSS_SITE: [string, Record<string, string>][] = [
  ["Sec-Fetch-Site: cross-site", { "sec-fetch-site": "cross-site" }],
  ["Sec-Fetch-Site: same-site (a sibling subdomain)", { "sec-fetch-site": "same-site" }],
  ["an Origin of another site", { origin: EVIL }],
  ["Origin: null (a sandboxed frame or data: page)", { origin: "null" }],
  ["an Origin on another port of the same host", { origin: "http://127.0.0.1:1" }],
];

describe("cross-site requests that change state are refused", () => {
  it.each(CROSS_SITE)("a web API post with %s gets 403 JSON and reaches nobody", async (_name, headers) => {
    const { cookie } = await signIn(plain.base, DEMO_IDS.sanne);
    const before = await countWhere(database.db, "WebMessage");
    const response = await fetch(`${plain.base}/web/api/command`, {
      method: "POST",
      headers: { cookie, "content-type": "application/json", ...headers },
      body: JSON.stringify({ conversationRef: `web:dm:${DEMO_IDS.sanne}`, text: "help" }),
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      error: { code: "CROSS_SITE_REFUSED", message: expect.stringMatching(/cross-site/i) },
    });
    expect(await countWhere(database.db, "WebMessage")).toBe(before);
  });

  it.each(CROSS_SITE)("the lessons form posted with %s gets a 403 page and adds nothing", async (_name, headers) => {
    const { cookie } = await signIn(plain.base, DEMO_IDS.sanne);
    const before = await lessonCount();
    const response = await fetch(`${plain.base}/lessons`, {
      method: "POST",
      headers: { cookie, accept: "text/html", "content-type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams({ project: DEMO_IDS.pilot, text: "Forged lesson", visibility: "team" }).toString(),
      redirect: "manual",
    });
    expect(response.status).toBe(403);
    expect(response.headers.get("content-type")).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).toContain(prompts.t("nl", "http.crossSite.title"));
    expect(html).toContain(prompts.t("nl", "http.crossSite.body"));
    expect(await lessonCount()).toBe(before);
  });

  it.each(CROSS_SITE.filter(([, headers]) => "sec-fetch-site" in headers))(
    "the demo persona switcher opened with %s signs nobody in",
    async (_name, headers) => {
      const response = await fetch(`${plain.base}/?as=${DEMO_IDS.karin}`, { headers, redirect: "manual" });
      expect(response.status).toBe(403);
      expect(response.headers.get("set-cookie")).toBeNull();
    },
  );

  it("the queue dashboard needs the admin, and refuses a cross-site post even with the admin's login", async () => {
    const auth = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString("base64")}`;
    const pause = `${plain.base}/admin/queues/api/queues/pause`;
    expect((await fetch(pause, { method: "PUT" })).status).toBe(401);
    const forged = await fetch(pause, {
      method: "PUT",
      headers: { authorization: auth, "sec-fetch-site": "cross-site" },
    });
    expect(forged.status).toBe(403);
    const forgedOrigin = await fetch(pause, { method: "PUT", headers: { authorization: auth, origin: EVIL } });
    expect(forgedOrigin.status).toBe(403);
    const page = await fetch(`${plain.base}/admin/queues`, { headers: { authorization: auth } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });
});

describe("same-origin requests and clients without browser headers still work", () => {
  it.each([
    ["Origin and Sec-Fetch-Site of this server", (base: string) => ({ origin: base, "sec-fetch-site": "same-origin" })],
    ["the PUBLIC_URL as Origin (behind a proxy)", () => ({ origin: "http://leerlus.test" })],
    ["no Origin and no Sec-Fetch-Site (not a browser)", () => ({})],
  ])("a web API post with %s is handled", async (_name, headers) => {
    const { cookie } = await signIn(plain.base, DEMO_IDS.sanne);
    const response = await fetch(`${plain.base}/web/api/command`, {
      method: "POST",
      headers: { cookie, "content-type": "application/json", ...headers(plain.base) },
      body: JSON.stringify({ conversationRef: `web:dm:${DEMO_IDS.sanne}`, text: "help" }),
    });
    expect(response.status).toBe(200);
    expect((await response.json()).replies.length).toBeGreaterThan(0);
  });

  it("a lessons form posted from the page itself adds the lesson", async () => {
    const { cookie } = await signIn(plain.base, DEMO_IDS.sanne);
    const before = await lessonCount();
    const response = await fetch(`${plain.base}/lessons`, {
      method: "POST",
      headers: {
        cookie,
        origin: plain.base,
        "sec-fetch-site": "same-origin",
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ project: DEMO_IDS.pilot, text: "Test sensors first", visibility: "team" }).toString(),
      redirect: "manual",
    });
    expect(response.status).toBe(303);
    expect(await lessonCount()).toBe(before + 1);
  });

  it("a signed link opened from a chat app (a cross-site navigation) still signs in", async () => {
    const link = createLinkSigner("link-secret-for-security-tests-01").sign({
      personId: DEMO_IDS.emma,
      purpose: "web",
      expiresAt: new Date(Date.now() + 60_000),
    });
    const response = await fetch(`${plain.base}/?link=${encodeURIComponent(link)}`, {
      headers: { "sec-fetch-site": "cross-site" },
      redirect: "manual",
    });
    expect(response.status).toBe(303);
    expect(response.headers.get("set-cookie")).toContain("leerlus_web=");
  });
});

describe("security headers", () => {
  it.each([
    ["the chat page", "/", 200],
    ["the lessons page", "/lessons", 200],
    ["the web API", "/web/api/me", 200],
    ["a health check", "/healthz", 200],
    ["the liveness probe", "/livez", 200],
    ["an unknown path", "/nowhere", 404],
  ])("%s carries a Content-Security-Policy and helmet's headers", async (_name, path, status) => {
    const { cookie } = await signIn(plain.base, DEMO_IDS.sanne);
    const response = await fetch(`${plain.base}${path}`, { headers: { cookie } });
    expect(response.status).toBe(status);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("cross-origin-opener-policy")).toBe("same-origin");
    expect(response.headers.get("x-powered-by")).toBeNull();
  });

  it.each(["/", "/lessons", "/web/api/me"])("the personal page %s is never cached", async (path) => {
    const { cookie } = await signIn(plain.base, DEMO_IDS.sanne);
    const response = await fetch(`${plain.base}${path}`, { headers: { cookie } });
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("HSTS is sent when PUBLIC_URL is https", async () => {
    const response = await fetch(`${behindTls.base}/healthz`);
    expect(response.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
  });

  it("the web chat works in Chromium under the policy, with no violation reported", async () => {
    const userDataDir = mkdtempSync(join(tmpdir(), "leerlus-csp-"));
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: "/usr/bin/chromium",
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"],
    });
    try {
      const page = await context.newPage();
      const violations: string[] = [];
      page.on("console", (message) => {
        if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
      });
      await page.goto(`${plain.base}/?as=${DEMO_IDS.sanne}`);
      await page.locator('body[data-live="true"]').waitFor();
      await page.getByLabel(/Opdracht|Command/).fill("help");
      await page.keyboard.press("Enter");
      await expect.poll(() => page.locator(".msg").count(), { timeout: 10_000 }).toBeGreaterThan(0);
      await page.goto(`${plain.base}/lessons`);
      await page.locator("main.lessons-page").waitFor();
      expect(violations).toEqual([]);
      // The queue dashboard has its own, looser style policy; its React app must still start.
      const admin = await context.browser()?.newContext({
        httpCredentials: { username: "admin", password: ADMIN_PASSWORD },
      });
      const dashboard = await (admin ?? context).newPage();
      dashboard.on("console", (message) => {
        if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
      });
      await dashboard.goto(`${plain.base}/admin/queues`);
      await expect.poll(() => dashboard.locator("#root *").count(), { timeout: 15_000 }).toBeGreaterThan(5);
      await admin?.close();
      expect(violations).toEqual([]);
    } finally {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    }
  });
});

describe("session cookies behind a TLS-terminating ingress", () => {
  it("are Secure when PUBLIC_URL is https, though the ingress speaks plain HTTP to Leerlus", async () => {
    const { setCookie } = await signIn(behindTls.base, DEMO_IDS.sanne);
    expect(setCookie).toMatch(/;\s*Secure/i);
    expect(setCookie).toMatch(/;\s*HttpOnly/i);
    expect(setCookie).toMatch(/;\s*SameSite=Lax/i);
  });

  it("are Secure when a trusted proxy says the request came over https", async () => {
    const response = await fetch(`${plain.base}/?as=${DEMO_IDS.sanne}`, {
      headers: { "x-forwarded-proto": "https" },
      redirect: "manual",
    });
    expect(response.headers.get("set-cookie")).toMatch(/;\s*Secure/i);
  });
});

describe("/metrics", () => {
  it("answers a direct loopback scrape when no METRICS_TOKEN is set", async () => {
    const response = await fetch(`${plain.base}/metrics`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("leerlus_open_cycles");
  });

  it("refuses a scrape that came through a proxy when no METRICS_TOKEN is set", async () => {
    const response = await fetch(`${plain.base}/metrics`, { headers: { "x-forwarded-for": "203.0.113.7" } });
    expect(response.status).toBe(403);
    expect((await response.json()).error.code).toBe("METRICS_FORBIDDEN");
  });

  it.each([
    ["no token", {}],
    ["a wrong token", { authorization: "Bearer not-the-token" }],
    ["the token in another scheme", { authorization: `Basic ${METRICS_TOKEN}` }],
  ])("with METRICS_TOKEN set, refuses %s with 401, even from loopback", async (_name, headers) => {
    const response = await fetch(`${withToken.base}/metrics`, { headers });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
  });

  it("with METRICS_TOKEN set, answers the bearer of the token", async () => {
    const response = await fetch(`${withToken.base}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}`, "x-forwarded-for": "203.0.113.7" },
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/^leerlus_retro_answers\{window="30d"\} \d+$/m);
  });

  it("a flood of 20 scrapes queries the participation figures at most once", async () => {
    const fresh = createMetricsCollector({ db: countingDb(database.db), queues: () => [] });
    const served = await serve(
      createHttpApp({ routers: [], readiness: [], metrics: fresh, logger: silentLogger, trustProxy: ["loopback"] }),
    );
    try {
      metricsQueries.count = 0;
      await Promise.all(Array.from({ length: 10 }, () => fetch(`${served.base}/metrics`).then((r) => r.text())));
      for (let scrape = 0; scrape < 10; scrape++) expect((await fetch(`${served.base}/metrics`)).status).toBe(200);
      // One read of the figures is one query of the deliveries.
      expect(metricsQueries.count).toBeLessThanOrEqual(1);
      expect(metricsQueries.count).toBeGreaterThan(0);
    } finally {
      await stop(served);
    }
  });
});
