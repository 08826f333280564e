// Advisers close the loop, in Chromium against real PostgreSQL: on the digest page an adviser
// plans a suggested intervention for a project, marks it given, dismisses another for the
// period and adds one of the organisation's own; the next digest reports what was given with
// the figures before and after (only above the minimum group size, as an observation).
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDigestRouter } from "../../adapters/web/digest-page.ts";
import type { Db } from "../../src/persistence/prisma-client.ts";
import { createStores } from "../../src/persistence/unit-of-work.ts";
import { createDigestServices } from "../../src/runtime/digest-services.ts";
import { sameOriginOnly } from "../../src/runtime/same-origin.ts";
import { composeDigest } from "../../src/use-cases/digest/compose-digest.ts";
import { digestLink, digestLinkSigner } from "../../src/use-cases/digest/digest-link.ts";
import { axeViolations, launchBrowser, type TestBrowser } from "../support/browser.ts";
import { type DigestSeed, NOW, seedDigestOrganisation, storedDigest } from "../support/digest-seed.ts";
import { prompts } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const SECRET = "e2e-secret-e2e-secret-e2e-secret!";
const DAY = 24 * 60 * 60 * 1000;
const WEEK = 7 * DAY;

/** After the intervention: Alpha's next retro (three of four answer) and lessons on scaling. */
async function seedWeekAfter(db: Db, seed: DigestSeed): Promise<void> {
  const at = new Date(NOW.getTime() + 3 * DAY);
  const members = await db.membership.findMany({ where: { projectId: seed.projects.alpha } });
  const cycle = await db.retroCycle.create({
    data: {
      projectId: seed.projects.alpha,
      sequence: 100,
      format: "phase",
      questions: { nl: [], en: [] },
      status: "closed",
      opensAt: new Date(at.getTime() - DAY),
      remindsAt: at,
      closesAt: at,
      closedAt: at,
    },
  });
  for (const [index, member] of members.entries()) {
    await db.delivery.create({
      data: { cycleId: cycle.id, personId: member.personId, answeredAt: index < 3 ? at : null },
    });
  }
  for (const score of [5, 5, 5]) {
    await db.answer.create({
      data: { cycleId: cycle.id, responseKey: randomUUID(), questionKey: "learning-score", score, createdAt: at },
    });
  }
  for (const projectId of [seed.projects.alpha, seed.projects.beta]) {
    await db.lesson.create({
      data: {
        organisationId: seed.organisationId,
        projectId,
        phase: "pilot",
        text: `Scaling lesson after the session (${projectId.slice(0, 4)})`,
        themes: ["scaling"],
        disciplines: [],
        createdAt: at,
      },
    });
  }
}

describe("advisers close the loop on the digest page", () => {
  let database: TestDatabase;
  let seed: DigestSeed;
  let server: Server;
  let browser: TestBrowser;
  let base: string;
  let firstDigest: string;
  let page: Page;
  const link = (digestId: string) =>
    digestLink({
      signer: digestLinkSigner(SECRET),
      publicUrl: base,
      digestId,
      organisationId: seed.organisationId,
      personId: seed.adviserId,
      now: NOW,
    }).url;
  const section = (id: string) => page.locator(`section[aria-labelledby="s-${id}"]`);
  const suggestion = (title: string) => section("interventions").locator("li", { hasText: title });
  /** On the first digest, opens a suggestion's controls and plans or gives it for one project. */
  const markSuggestion = async (title: string, project: string, date: string, button: "Plan" | "Given") => {
    await page.goto(link(firstDigest));
    const item = suggestion(title);
    await item.locator("summary").click();
    await item.getByLabel(project).check();
    await item.getByLabel("Date").fill(date);
    await item.getByRole("button", { name: button, exact: true }).click();
  };
  /** Full-page shots at phone and desktop width into test-results/, for docs/screens. */
  const screenshots = async (url: string, name: string, prepare?: () => Promise<void>) => {
    mkdirSync("test-results", { recursive: true });
    for (const [label, width] of [
      ["phone", 390],
      ["desktop", 1280],
    ] as const) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto("about:blank");
      await page.goto(url);
      await prepare?.();
      await page.screenshot({ path: `test-results/${name}-${label}.png`, fullPage: true });
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    seed = await seedDigestOrganisation(database.db);
    firstDigest = await storedDigest(database.db, seed.organisationId, NOW);
    const services = createDigestServices({ db: database.db, prompts, now: () => NOW });
    const app = express();
    const listening = await new Promise<Server>((resolve) => {
      const started = app.listen(0, "127.0.0.1", () => resolve(started));
    });
    base = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
    // The same-origin check the real app puts in front of every route.
    app.use(sameOriginOnly({ publicUrl: base, text: (locale, key) => prompts.t(locale, key) }));
    app.use(
      createDigestRouter({
        signer: digestLinkSigner(SECRET),
        ...services.page,
        text: (locale, key, vars) => prompts.t(locale, key, vars),
        now: () => NOW,
      }),
    );
    server = listening;
    browser = await launchBrowser();
    page = await browser.context.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await database?.drop();
  });

  it("plans a suggestion for a project, then marks it given; the page says each once", async () => {
    await page.goto(link(firstDigest));
    await suggestion("Peer consultation on scaling").locator("summary").click();
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(`${link(firstDigest)}#s-interventions`, "digest-interventions", () =>
      // Open, whatever state a same-document navigation left it in.
      suggestion("Peer consultation on scaling")
        .locator("details")
        .evaluate((details) => {
          (details as HTMLDetailsElement).open = true;
        }),
    );
    await markSuggestion("Peer consultation on scaling", "Alpha", "2026-11-30", "Plan");
    await expect(page.locator(".flash").textContent()).resolves.toContain("Noted as planned");
    expect(await suggestion("Peer consultation on scaling").count()).toBe(0);
    const planned = section("loop").locator("li", { hasText: "Peer consultation on scaling" });
    await expect(planned.textContent()).resolves.toContain("Planned for 30 Nov 2026: Alpha");

    await planned.getByLabel("Given on").fill("2026-11-23");
    await planned.getByRole("button", { name: /Mark as given/ }).click();
    await expect(page.locator(".flash").textContent()).resolves.toContain("Noted as given");
    const marks = await database.db.interventionMark.findMany({ where: { organisationId: seed.organisationId } });
    expect(marks).toHaveLength(1);
    expect(marks[0]).toMatchObject({ status: "given", projectIds: [seed.projects.alpha] });
    expect(marks[0]?.givenOn?.toISOString().slice(0, 10)).toBe("2026-11-23");
  }, 60_000);

  it("gives one straight away for a project below the minimum group size", async () => {
    await markSuggestion("Shadowing residents", "Beta", "2026-11-23", "Given");
    await expect(page.locator(".flash").textContent()).resolves.toContain("Noted as given");
  }, 60_000);

  it("dismisses a suggestion for the period: gone from the page and from a digest of the same period", async () => {
    await page.goto(link(firstDigest));
    const coaching = suggestion("Coaching on implementation and embedding");
    await coaching.locator("summary").click();
    await coaching.getByRole("button", { name: "Dismiss for this period" }).click();
    await expect(page.locator(".flash").textContent()).resolves.toContain("will not come back in this period");
    await page.reload();
    expect(await suggestion("Coaching on implementation and embedding").count()).toBe(0);
    const again = await composeDigest({
      stores: createStores(database.db),
      prompts,
      organisationId: seed.organisationId,
      periodStart: new Date(NOW.getTime() - WEEK),
      periodEnd: NOW,
      minGroupSize: 3,
    });
    expect(again.interventions.flatMap((row) => row.ids)).not.toContain("scaling-coaching");
  }, 60_000);

  it("acts once per form, refuses other sites, forged links and bad dates", async () => {
    await page.goto(link(firstDigest));
    const form = suggestion("Training in user research and co-creation").locator("form").last();
    const key = await form.locator('input[name="key"]').getAttribute("value");
    const action = new URL((await form.getAttribute("action")) as string, base).toString();
    const body = {
      key: key as string,
      intervention: "user-involvement-research-training",
      theme: "user-involvement",
      status: "dismissed",
    };
    const post = (url: string, data: Record<string, string>, headers: Record<string, string> = {}) =>
      page.request.post(url, { form: data, headers: { Origin: base, ...headers }, maxRedirects: 0 });
    const first = await post(action, body);
    const second = await post(action, body);
    expect(first.status()).toBe(303);
    expect(first.headers().location).toContain("done=dismissed");
    expect(second.headers().location).toContain("done=already");
    expect(await database.db.interventionMark.count({ where: { formKey: key as string } })).toBe(1);

    const crossSite = await post(action, { ...body, key: randomUUID() }, { Origin: "https://evil.example" });
    expect(crossSite.status()).toBe(403);
    const forged = await post(action.replace(/token=([^&]+)/, "token=$1x"), { ...body, key: randomUUID() });
    expect(forged.status()).toBe(403);
    const future = await post(action, { ...body, key: randomUUID(), status: "given", date: "2026-12-24" });
    expect(future.status()).toBe(400);
    expect(await future.text()).toContain("cannot lie in the future");
    const notADate = await post(action, { ...body, key: randomUUID(), status: "planned", date: "2026-02-30" });
    expect(notADate.status()).toBe(400);
    expect(await database.db.interventionMark.count({ where: { organisationId: seed.organisationId } })).toBe(4);
  }, 60_000);

  it("adds the organisation's own intervention to its catalogue", async () => {
    await page.goto(link(firstDigest));
    const own = page.locator('section[aria-labelledby="s-own"]');
    await own.getByLabel("Theme").selectOption("scaling");
    await own.getByLabel("Title").fill("Lunch with the future line owner");
    await own.getByLabel("Description").fill("The team and the department that takes over eat together once a month.");
    await own.getByRole("button", { name: "Add" }).click();
    await expect(page.locator(".flash").textContent()).resolves.toContain("Added to your organisation's");
    await expect(own.textContent()).resolves.toContain("Lunch with the future line owner");
    expect(await axeViolations(page)).toEqual([]);
  }, 60_000);

  it("the next digest reports what was given, with figures only above the minimum group size", async () => {
    await seedWeekAfter(database.db, seed);
    const next = await storedDigest(database.db, seed.organisationId, new Date(NOW.getTime() + WEEK));
    await page.goto(link(next));
    const loop = section("loop");
    const alpha = loop.locator("li", { hasText: "Peer consultation on scaling" });
    const alphaText = (await alpha.textContent()) ?? "";
    expect(alphaText).toContain("Given on 23 Nov 2026: Alpha");
    expect(alphaText).toContain(
      "In the 7 days after: how well we learned 5 out of 5 (the 7 days before: 4.3), lessons on this theme 1 (before: 4); this does not say the learning intervention caused it.",
    );
    const beta = (await loop.locator("li", { hasText: "Shadowing residents" }).textContent()) ?? "";
    expect(beta).toContain("Given on 23 Nov 2026: Beta");
    expect(beta).toContain("Too few people in these projects to compare before and after.");
    expect(beta).not.toMatch(/out of 5/);
    // The organisation's own intervention is suggested now that scaling recurs.
    await expect(section("interventions").textContent()).resolves.toContain("Lunch with the future line owner");
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(`${link(next)}#s-loop`, "digest-loop");
  }, 60_000);
});
