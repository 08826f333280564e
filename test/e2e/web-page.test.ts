import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import express from "express";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebAdapter, type WebAdapter } from "../../adapters/web/create-web-adapter.ts";
import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import type { Message } from "../../src/domain/message.ts";
import { createWebMessageRepository } from "../../src/persistence/web-message-repository.ts";
import type { WebDirectory } from "../../src/ports/web-message-store.ts";
import { createRedisNotifier, type RedisNotifier } from "../../src/scheduler/redis-notifier.ts";
import { createLinkSigner } from "../../src/use-cases/signed-link.ts";
import { axeViolations, launchBrowser, type TestBrowser } from "../support/browser.ts";
import { closeServer } from "../support/listen-app.ts";
import { prompts, REDIS_URL } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const ALICE_DM = "web:dm:alice";
const CHANNEL = "web:channel:project-a";

const directory: WebDirectory = {
  async person(id) {
    return id === "alice" ? { id, organisationId: "org-1", displayName: "Alice", locale: "en" } : null;
  },
  async personas() {
    return [{ id: "alice", displayName: "Alice", roles: ["lead"], locale: "en" }];
  },
  async conversationsFor(id) {
    return id === "alice"
      ? [
          { ref: ALICE_DM, kind: "direct", title: "Leerlus" },
          { ref: CHANNEL, kind: "channel", title: "Project A" },
        ]
      : [];
  },
};

const retroForm: Message = {
  fallback: "Retro for Project A",
  blocks: [
    { type: "heading", text: ["Retro week 12"] },
    { type: "paragraph", text: ["Last time you said: ", { user: "<b>talk to residents</b>" }] },
    {
      type: "form",
      formId: "retro-c1",
      title: "Your answers",
      submit: { actionId: "retro.submit", label: "Send answers", value: "cycle-1", style: "primary" },
      inputs: [
        { kind: "text", key: "went-well", label: "What went well?", required: true, maxLength: 500 },
        {
          kind: "scale",
          key: "learning-score",
          label: "How much did the team learn?",
          required: true,
          min: 1,
          max: 5,
          minLabel: "little",
          maxLabel: "a lot",
        },
        { kind: "multiline", key: "change", label: "What will we change?", required: false, maxLength: 2000 },
      ],
    },
    { type: "actions", buttons: [{ actionId: "retro.skip", label: "Skip this time", value: "cycle-1" }] },
  ],
};

let database: TestDatabase;
let notifier: RedisNotifier;
let web: WebAdapter;
let server: ReturnType<ReturnType<typeof express>["listen"]>;
let base: string;
let context: BrowserContext;
let browser: TestBrowser;
const events: InboundEvent[] = [];
/** Whether the web chat takes commands now (false: its queues' Redis is away). */
let accepting = true;

beforeAll(async () => {
  database = await createTestDatabase();
  notifier = createRedisNotifier({
    redisUrl: REDIS_URL,
    channel: `leerlus-test-web-e2e-${randomBytes(6).toString("hex")}`,
  });
  web = createWebAdapter({
    store: createWebMessageRepository(database.db),
    notifier,
    directory,
    linkSigner: createLinkSigner("link-secret-for-e2e-tests-012345"),
    demo: true,
    text: (locale, key, vars) => prompts.t(locale, key, vars),
    sessionSecret: "session-secret-for-e2e-tests-0123",
    available: () => accepting,
  });
  await web.adapter.start(async (event) => {
    events.push(event);
    return [{ fallback: "Thanks", blocks: [{ type: "paragraph", text: ["Thanks, your answers are in."] }] }];
  });
  const app = express();
  app.use(web.router);
  server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  browser = await launchBrowser();
  context = browser.context;
});

afterAll(async () => {
  await browser?.close();
  await web?.adapter.stop();
  await closeServer(server);
  await notifier?.close();
  await database?.drop();
});

describe("web chat page in Chromium", () => {
  it("shows a form, submits it by keyboard, and receives live messages over SSE", async () => {
    await web.adapter.send(ALICE_DM, retroForm);
    const page = await context.newPage();

    await page.goto(`${base}/`);
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole("link", { name: "Alice" }).click();

    await page.locator('body[data-live="true"]').waitFor();
    await page.getByRole("heading", { name: "Retro week 12" }).waitFor();
    expect(await page.locator(".user-text").first().textContent()).toBe("<b>talk to residents</b>");
    expect(await axeViolations(page)).toEqual([]);

    // Keyboard only: type, tab into the scale, arrow to 4, tab to the text area, tab to submit.
    await page.getByLabel(/What went well\?/).focus();
    await page.keyboard.type("We met residents");
    await page.keyboard.press("Tab");
    for (let step = 0; step < 3; step++) await page.keyboard.press("ArrowRight");
    await page.keyboard.press("Tab");
    await page.keyboard.type("Involve legal earlier");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");

    await page.getByText("Thanks, your answers are in.").waitFor();
    expect(events.at(-1)).toEqual({
      type: "formSubmitted",
      platform: "web",
      tenantId: "org-1",
      platformUserId: "alice",
      conversationRef: ALICE_DM,
      actionId: "retro.submit",
      value: "cycle-1",
      answers: { "went-well": "We met residents", "learning-score": "4", change: "Involve legal earlier" },
    });

    await page.getByRole("button", { name: "Skip this time" }).click();
    await expect.poll(() => events.at(-1)).toMatchObject({ type: "action", actionId: "retro.skip", value: "cycle-1" });
    await page.getByLabel("Command").fill("lessons privacy");
    await page.keyboard.press("Enter");
    await expect.poll(() => events.at(-1)).toMatchObject({ type: "command", text: "lessons privacy" });
    await expect.poll(() => page.getByText("Thanks, your answers are in.").count()).toBe(3);

    await page.getByRole("button", { name: "Project A" }).click();
    await page.getByRole("heading", { name: "Project A" }).waitFor();
    await page.getByText("No messages yet.").waitFor();
    const navigations: string[] = [];
    page.on("framenavigated", (frame) => navigations.push(frame.url()));
    await web.adapter.send(CHANNEL, {
      fallback: "live",
      blocks: [{ type: "paragraph", text: ["Pilot review on Thursday"] }],
    });
    await page.getByText("Pilot review on Thursday").waitFor({ timeout: 10_000 });
    expect(navigations).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it("tells the person in their language that a command can't be handled right now", async () => {
    const page = await context.newPage();
    await page.goto(`${base}/?as=alice`);
    await page.getByRole("button", { name: "Leerlus" }).click();
    const before = events.length;
    accepting = false;
    try {
      await page.getByLabel("Command").fill("help");
      await page.keyboard.press("Enter");
      await expect.poll(() => page.locator("#status").textContent()).toBe(prompts.t("en", "web.status.unavailable"));
      expect(events.length).toBe(before);
    } finally {
      accepting = true;
    }
    await page.close();
  });
});
