// Screenshots of the main web pages at desktop (1280 px) and phone (390 px) width, from a
// running demo: `npm run demo`, then `node scripts/screens.mjs http://127.0.0.1:3000`.
// Writes docs/screens/<page>-<width>.png. Uses Debian's Chromium (see shared PLATFORM notes).
// `lessons-starter` (named only) needs the starter library loaded first
// (`npx leerlus lessons starter --organisation <id>`).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const base = (process.argv[2] ?? "http://127.0.0.1:3000").replace(/\/+$/, "");
const ids = { sanne: "100", ahmed: "101", lotte: "102", emma: "103", karin: "105", joost: "106" };
// `node scripts/screens.mjs <base> answers channel` takes only the named steps.
const only = process.argv.slice(3);
const wanted = (name) => only.length === 0 || only.includes(name);
const as = (who) => `${base}/?as=00000000-0000-4000-8000-000000000${ids[who]}`;
const widths = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };

const dir = mkdtempSync(join(tmpdir(), "leerlus-screens-"));
const context = await chromium.launchPersistentContext(dir, {
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});

async function shoot(who, path, name, prepare) {
  for (const [label, viewport] of Object.entries(widths)) {
    const page = await context.newPage();
    await page.setViewportSize(viewport);
    await page.goto(as(who));
    if (path) await page.goto(`${base}${path}`);
    if (prepare) await prepare(page);
    const file = `docs/screens/${name}-${label}.png`;
    await page.screenshot({ path: file, fullPage: label !== "desktop" });
    const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
    console.log(`${file} (scrollWidth ${scroll} at ${viewport.width})`);
    await page.close();
  }
}

const chatReady = async (page) => {
  await page.locator("#messages .msg").first().waitFor({ state: "attached", timeout: 120_000 });
  if ((await page.locator(".msg-own").count()) === 0) {
    await page.getByRole("textbox").last().fill("acties");
    await page.keyboard.press("Enter");
    await page.locator(".msg-own + .msg").waitFor();
  }
  await page.waitForTimeout(500);
};

/** A persona answers the open retro in their direct messages, as a person would in the page. */
async function answerRetro(who, text) {
  const page = await context.newPage();
  await page.goto(as(who));
  const form = page.locator('form.msg-form[data-form-id^="retro-"]').last();
  await form.waitFor({ timeout: 120_000 });
  for (const field of await form.locator('input[type="text"], textarea').all()) await field.fill(text);
  for (const group of await form.locator("fieldset.scale").all()) await group.locator('input[value="4"]').check();
  await form.locator('button[type="submit"]').click();
  await page.locator(".msg-own, .msg").last().waitFor();
  await page.waitForTimeout(500);
  await page.close();
}

/**
 * The lesson exchange as the Leerlus admin sees it: subscribing (here to the demo's own feed,
 * which needs LESSON_FEED_ALLOW_PRIVATE=true), a refused address, and the subscriptions.
 * The demo has no admin: make Karin one first, e.g. in its database
 * `UPDATE "Person" SET roles = array_append(roles, 'admin') WHERE "displayName" = 'Karin Visser'`.
 */
const exchangeReady = async (page) => {
  await page.locator("#messages .msg").first().waitFor({ state: "attached", timeout: 120_000 });
  const commands = [
    `lessen abonneren ${base}/lessons/feed/00000000-0000-4000-8000-000000000001`,
    "lessen abonneren http://127.0.0.1:9/lessons/feed/elders",
    "lessen abonnementen",
  ];
  for (const command of commands) {
    const replies = await page.locator(".msg-own + .msg").count();
    await page.getByRole("textbox").last().fill(command);
    await page.keyboard.press("Enter");
    await page.waitForFunction((n) => document.querySelectorAll(".msg-own + .msg").length > n, replies);
  }
  await page.waitForTimeout(500);
};

/** The team channel once its summary and the next retro's action review are in. */
const channelReady = async (page) => {
  await page.locator(".conversation-link", { hasText: "Slimme straatreiniging" }).click();
  await page.locator('#messages button[data-action-id="action.done"]').first().waitFor({ timeout: 300_000 });
  await page.waitForTimeout(500);
};

/** The demo's own conversation in the team channel: grouped, voted, and an action Ahmed took. */
const conversationReady = async (page) => {
  await page.locator(".conversation-link", { hasText: "Slimme straatreiniging" }).click();
  await page.locator("#messages .msg", { hasText: "Ahmed" }).last().waitFor({ timeout: 300_000 });
  await page.waitForTimeout(500);
};

try {
  // Lotte answers too (the demo's personas Sanne, Ahmed and Emma answer by themselves), so the
  // channel has a summary and an action review to show.
  if (wanted("answers")) await answerRetro("lotte", "Meldingen van bewoners samen bekijken");
  if (wanted("channel")) {
    await shoot("lotte", null, "channel-nl", channelReady);
    await shoot("emma", null, "channel-en", channelReady);
  }
  // Needs nobody to act: the demo's personas play the conversation within five minutes.
  if (only.includes("conversation")) await shoot("lotte", null, "demo-conversation", conversationReady);
  if (wanted("chat")) await shoot("lotte", null, "chat", chatReady);
  if (wanted("exchange")) await shoot("karin", null, "lesson-exchange", exchangeReady);
  if (wanted("portfolio")) await shoot("karin", "/portfolio", "portfolio");
  if (wanted("lessons")) await shoot("lotte", "/lessons", "lessons");
  if (only.includes("lessons-starter")) await shoot("lotte", "/lessons?q=handhaving", "lessons-starter");
  if (wanted("digest")) {
    const page = await context.newPage();
    await page.goto(as("joost"));
    const link = page.locator('a.msg-link[href^="/digests/"]').first();
    await link.waitFor({ timeout: 240_000 });
    const digest = await link.getAttribute("href");
    await page.close();
    await shoot("joost", digest, "digest");
  }
} finally {
  await context.close();
  rmSync(dir, { recursive: true, force: true });
}
