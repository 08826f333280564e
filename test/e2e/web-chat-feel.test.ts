import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Message } from "../../src/domain/message.ts";
import { DEMO_IDS } from "../../src/persistence/demo-seed.ts";
import { createLessonsPage } from "../../src/use-cases/lessons/lessons-page.ts";
import { portfolioFor } from "../../src/use-cases/portfolio.ts";
import { axeViolations, launchBrowser, type TestBrowser } from "../support/browser.ts";
import { rowsWhere } from "../support/fixtures.ts";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.ts";
import { prompts } from "../support/test-core.ts";
import { startWebApp, type WebApp } from "../support/web-app.ts";

// The web chat as a newcomer meets it, in headless Chromium: the real core, demo seed, queues
// and HTTP app. One browser for the whole file.
describe("the web chat reads like a chat", () => {
  let app: WebApp;
  let browser: TestBrowser;
  let base: string;
  const lotteDm = `web:dm:${DEMO_IDS.lotte}`;
  const nl = (key: string, vars?: Record<string, string | number>) => prompts.t("nl", key, vars);

  beforeAll(async () => {
    app = await startWebApp({
      lessons: true,
      pages: (deps) => ({
        portfolio: async (personId) => {
          const person = await deps.stores.directory.person(personId);
          return person ? portfolioFor(deps, person) : null;
        },
        lessons: createLessonsPage(deps),
      }),
    });
    base = app.base;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function openAs(personId: string, at = base) {
    const page = await browser.context.newPage();
    await page.goto(`${at}/?as=${personId}`);
    await page.locator('body[data-live="true"]').waitFor();
    return page;
  }

  it("shows what the person typed as their own bubble with a time, after a reload too", async () => {
    const page = await openAs(DEMO_IDS.lotte);
    await page.getByLabel("Opdracht").fill("help");
    await page.keyboard.press("Enter");
    const own = page.locator(".msg-own");
    await own.waitFor();
    expect(await own.locator(".msg-author").textContent()).toBe(nl("web.message.you"));
    // The reply follows the person's own line.
    await page.locator(".msg-own + .msg:not(.msg-own)").waitFor();
    await page.reload();
    await page.locator(".msg-own").waitFor();
    expect(await page.locator(".msg-own .user-text").textContent()).toBe("help");
    const time = page.locator(".msg-own time.msg-time");
    expect(Number.isNaN(Date.parse((await time.getAttribute("datetime")) ?? ""))).toBe(false);
    expect(await time.textContent()).toMatch(/\d{1,2}:\d{2}/);
    // Every message has a time, the bot's as well.
    const untimed = await page.locator("#messages .msg:not(:has(time.msg-time))").count();
    expect(untimed).toBe(0);
    // Colleagues never see it: it is stored for Lotte only.
    const rows = await rowsWhere(app.database.db, "WebMessage", { conversationRef: lotteDm });
    const typed = rows.filter((row) => (row.message as { typedBy?: string }).typedBy === DEMO_IDS.lotte);
    expect(typed.map((row) => row.visibleTo)).toEqual([DEMO_IDS.lotte]);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it("makes Leerlus's own links clickable with a short label and keeps a URL a person typed inert", async () => {
    const page = await openAs(DEMO_IDS.karin);
    await page.getByLabel("Opdracht").fill("web");
    await page.keyboard.press("Enter");
    const link = page.getByRole("link", { name: nl("web.link.portfolio") });
    await link.waitFor({ timeout: 5000 });
    const href = (await link.getAttribute("href")) ?? "";
    expect(href).toMatch(/^\/signin\?token=/);
    expect(await page.locator(".msg-link").first().textContent()).not.toContain("token");

    const hostile = 'kijk http://evil.example/signin?token=x en <a href="http://evil.example">hier</a>';
    await page.getByLabel("Opdracht").fill(hostile);
    await page.keyboard.press("Enter");
    const typed = page.locator(".msg-own", { hasText: "evil.example" });
    await typed.waitFor({ timeout: 5000 });
    expect(await typed.locator(".user-text").textContent()).toBe(hostile);
    await page.locator(".msg-own + .msg:not(.msg-own)").last().waitFor({ timeout: 5000 });
    expect(await page.locator('#messages a[href*="evil"]').count()).toBe(0);

    // Following the label signs in and lands on the portfolio.
    await link.click();
    await page.waitForURL(`${base}/portfolio`, { timeout: 5000 });
    await page.close();
  });

  it("folds a project's earlier retro to one line with show, and a reminder links to the open form", async () => {
    const form = (cycle: string, heading: string): Message => ({
      fallback: heading,
      blocks: [
        { type: "heading", text: [heading] },
        {
          type: "form",
          formId: `retro-${DEMO_IDS.pilot}:${cycle}`,
          title: "Jouw antwoorden",
          submit: { actionId: "retro.answer", label: "Versturen", value: cycle, style: "primary" },
          inputs: [{ kind: "text", key: "went-well", label: "Wat ging goed?", required: true, maxLength: 500 }],
        },
      ],
    });
    await app.web.adapter.send(lotteDm, form("old-cycle", "Retro 1"));
    await app.web.adapter.send(lotteDm, form("old-cycle", "Herinnering retro 1"));
    await app.web.adapter.send(lotteDm, form("new-cycle", "Retro 2"));
    await app.web.adapter.send(lotteDm, form("new-cycle", "Herinnering retro 2"));
    const page = await openAs(DEMO_IDS.lotte);
    await page.getByRole("heading", { name: "Herinnering retro 2" }).waitFor();

    // The earlier retro is one line; its reminder is out of sight.
    const folds = page.locator("details.msg-earlier");
    expect(await folds.count()).toBe(1);
    expect(await folds.first().locator("summary").textContent()).toMatch(/^Retro 1, \d+ \w+: gesloten · tonen$/);
    expect(await page.getByRole("heading", { name: "Herinnering retro 1" }).isVisible()).toBe(false);
    expect(await page.getByRole("heading", { name: "Retro 1", exact: true }).isVisible()).toBe(false);
    await folds.first().locator("summary").click();
    expect(await page.getByRole("heading", { name: "Retro 1", exact: true }).isVisible()).toBe(true);

    // The open retro's form appears once; its reminder points to it.
    expect(await page.locator(`form[data-form-id$=":new-cycle"]`).count()).toBe(1);
    const toForm = page.getByRole("link", { name: nl("web.earlier.toOpenForm") }).last();
    await toForm.click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("went-well");
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it("shows a banner while the event stream is down and clears it when it is back", async () => {
    const port = Number(new URL(base).port);
    const proxy: TcpProxy = await startTcpProxy({ host: "127.0.0.1", port });
    try {
      const page = await openAs(DEMO_IDS.lotte, `http://127.0.0.1:${proxy.port}`);
      const banner = page.locator("#connection-banner");
      expect(await banner.isHidden()).toBe(true);
      await proxy.cut();
      await banner.waitFor({ state: "visible" });
      expect(await banner.getAttribute("role")).toBe("alert");
      await proxy.restore();
      await banner.waitFor({ state: "hidden", timeout: 15_000 });
      await page.close();
    } finally {
      await proxy.close();
    }
  });

  it("answers an unknown page with an HTML page in the reader's language; API routes keep JSON", async () => {
    const dutch = await fetch(`${base}/bestaat-niet`, { headers: { Accept: "text/html", "Accept-Language": "nl" } });
    expect(dutch.status).toBe(404);
    expect(await dutch.text()).toContain(`<h1>${nl("web.notFound.title")}</h1>`);
    const api = await fetch(`${base}/web/api/bestaat-niet`, { headers: { Accept: "text/html" } });
    expect(api.headers.get("content-type")).toMatch(/json/);

    // Signed in, the person's own language wins over the browser's.
    const page = await openAs(DEMO_IDS.emma);
    await page.setExtraHTTPHeaders({ "Accept-Language": "nl" });
    const response = await page.goto(`${base}/no-such-page`);
    expect(response?.status()).toBe(404);
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    expect(await page.locator("h1").textContent()).toBe(prompts.t("en", "web.notFound.title"));
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it("lays the portfolio and lessons pages out for a 390 px phone without sideways scrolling", async () => {
    for (const [who, path] of [
      [DEMO_IDS.karin, "/portfolio"],
      [DEMO_IDS.lotte, "/lessons"],
    ] as const) {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${base}/?as=${who}`);
      const response = await page.goto(`${base}${path}`);
      expect(response?.status()).toBe(200);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await page.close();
    }
    // The chat links each page the person may open.
    const page = await openAs(DEMO_IDS.karin);
    const pages = page.getByRole("navigation", { name: nl("web.pages.label") });
    expect(await pages.getByRole("link").allTextContents()).toEqual([
      nl("web.pages.lessons"),
      nl("web.pages.portfolio"),
    ]);
    await page.close();
  });
});
