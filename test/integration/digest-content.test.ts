import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDigestRouter } from "../../adapters/web/digest-page.ts";
import type { DigestContent } from "../../src/domain/digest-content.ts";
import { createStores } from "../../src/persistence/unit-of-work.ts";
import { createDigestServices } from "../../src/runtime/digest-services.ts";
import { composeDigest } from "../../src/use-cases/digest/compose-digest.ts";
import { digestLink, digestLinkSigner } from "../../src/use-cases/digest/digest-link.ts";
import { sendDigest } from "../../src/use-cases/send-digest.ts";
import { createLinkSigner } from "../../src/use-cases/signed-link.ts";
import { type DigestSeed, NOW, seedDigestOrganisation } from "../support/digest-seed.ts";
import { pdfText } from "../support/pdf-text.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestCore, prompts } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const DAY = 24 * 60 * 60 * 1000;
const SECRET = "test-secret-test-secret-test-secret!";

describe("the advisers' digest", () => {
  let database: TestDatabase;
  let seed: DigestSeed;
  let core: ReturnType<typeof createTestCore>;
  const adapter = createRecordingAdapter("web");
  let server: Server;
  let base: string;
  let pageNow = NOW;

  const compose = (minGroupSize: number) =>
    composeDigest({
      stores: createStores(database.db),
      prompts,
      organisationId: seed.organisationId,
      periodStart: new Date(NOW.getTime() - 7 * DAY),
      periodEnd: NOW,
      minGroupSize,
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    seed = await seedDigestOrganisation(database.db);
    core = createTestCore(database, [adapter], NOW);
    const services = createDigestServices({ db: database.db, prompts });
    const app = express();
    app.use(
      createDigestRouter({
        signer: digestLinkSigner(SECRET),
        ...services.page,
        text: (locale, key, vars) => prompts.t(locale, key, vars),
        now: () => pageNow,
      }),
    );
    server = await new Promise<Server>((resolve) => {
      const started = app.listen(0, "127.0.0.1", () => resolve(started));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await core?.close();
    await database?.drop();
  });

  it("counts lessons, themes, trends, participation, follow-through, learning and stalled projects", async () => {
    const content = await compose(3);
    // 8 lessons in the week, not the dismissed one; the team-only lesson counts but is not quoted.
    expect(content.lessonCount).toBe(7);
    expect(content.previousLessonCount).toBe(1);
    expect(content.themes.map((theme) => [theme.themeId, theme.count])).toEqual([
      ["scaling", 6],
      ["user-involvement", 3],
    ]);
    const quoted = content.themes.flatMap((theme) => theme.lessons.map((lesson) => lesson.text));
    expect(quoted).not.toContain("Team-only lesson about our sprint board");
    expect(quoted).not.toContain("A dismissed remark");
    expect(content.themes[0]?.lessons[0]).toMatchObject({
      text: "Agree on the owner before the pilot ends",
      usefulCount: 5,
    });
    expect(content.highlights.map((lesson) => lesson.usefulCount)).toEqual([5, 3, 2]);
    // The anonymous project's lesson is never attributed.
    expect(content.highlights[1]).toMatchObject({ text: "Anonymous team lesson on residents", projectName: null });

    expect(content.recurring).toEqual([
      { themeId: "scaling", projects: 2, lessons: 6, previousLessons: 1, trend: "up" },
      { themeId: "user-involvement", projects: 2, lessons: 3, previousLessons: 0, trend: "new" },
    ]);
    expect(content.interventions.find((row) => row.themeId === "scaling")?.ids).toEqual([
      "scaling-peer-consultation",
      "scaling-coaching",
    ]);

    expect(content.participation).toEqual([
      { projectName: "Alpha", shown: true, invited: 4, answered: 3 },
      { projectName: "Beta", shown: false },
      { projectName: null, shown: true, invited: 3, answered: 3 },
    ]);
    expect(content.participationOverTime).toHaveLength(6);
    expect(content.participationOverTime.at(-1)).toMatchObject({ shown: true, invited: 9, answered: 8 });
    expect(content.participationOverTime.at(-2)).toMatchObject({ shown: false });

    expect(content.learning.at(-1)).toMatchObject({ shown: true, average: 3.3, responses: 8 });
    expect(content.followThrough.overall).toEqual({ shown: true, reviewed: 4, done: 3, notYet: 1, dropped: 0 });
    expect(content.followThrough.projects).toEqual([
      { projectName: "Alpha", shown: true, reviewed: 3, done: 2, notYet: 1, dropped: 0 },
      { projectName: "Beta", shown: false },
    ]);
    expect(content.themesOverTime.series[0]).toEqual({ themeId: "scaling", counts: [0, 0, 0, 0, 1, 6] });

    expect(content.stalled).toEqual([
      { projectName: "Alpha", phase: "pilot", reasons: ["ignored-checkpoints"], overdueDays: null },
      { projectName: "Delta", phase: "explore", reasons: ["no-retro", "overstaying"], overdueDays: 110 },
    ]);
  });

  it("hides every figure over people below the minimum group size, leaving no number behind", async () => {
    const content: DigestContent = await compose(10);
    expect(content.participation.every((row) => !row.shown)).toBe(true);
    expect(content.participationOverTime.every((row) => !row.shown)).toBe(true);
    expect(content.learning.every((row) => !row.shown)).toBe(true);
    expect(content.followThrough.overall.shown).toBe(false);
    expect(content.followThrough.previous.shown).toBe(false);
    expect(content.followThrough.projects.every((row) => !row.shown)).toBe(true);
    for (const row of [...content.participation, ...content.participationOverTime, ...content.learning]) {
      expect(Object.keys(row)).not.toContain("invited");
      expect(Object.keys(row)).not.toContain("average");
    }
    // Lessons are not figures over people: they stay, anonymous ones unattributed.
    expect(content.lessonCount).toBe(7);
    const markdown = createDigestServices({ db: database.db, prompts }).markdown(
      (await import("../../src/use-cases/digest/digest-view.ts")).digestView({
        prompts,
        locale: "en",
        organisationName: "Gemeente Proef",
        content,
      }),
    );
    expect(markdown).toContain("Participation: too few to show");
    expect(markdown).toContain("How well did we learn: too few to show");
    expect(markdown).not.toContain("Gamma");
  });

  it("sends the adviser headlines and a signed link; the page, Markdown and PDF open with it", async () => {
    const digestId = await sendDigest(core.deps, seed.organisationId);
    expect(digestId).toBeTruthy();
    const sent = await eventually(() => adapter.sent.find((s) => s.conversationRef === `web:dm:${seed.adviserId}`));
    expect(sent.text).toContain("Lesson digest for Gemeente Proef");
    expect(sent.text).toContain("7 new lessons (previous period: 1)");
    expect(sent.text).toContain("2 themes came up in two or more projects");
    expect(sent.text).toContain("Participation: 89% of retro invitations answered");
    expect(sent.text).toContain("Agree on the owner before the pilot ends");
    const url = /(http:\/\/\S+\/digests\/\S+\?token=\S+)/.exec(sent.text)?.[1];
    expect(url).toBeTruthy();
    const path = new URL(url as string);
    expect(path.pathname).toBe(`/digests/${digestId}`);
    // The period has just been covered: the next run does nothing.
    expect(await sendDigest(core.deps, seed.organisationId)).toBeNull();

    const page = await fetch(`${base}${path.pathname}${path.search}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("7 new lessons");
    expect(html).toContain('<svg role="img"');
    expect(html).not.toContain("Gamma");

    const markdown = await fetch(`${base}${path.pathname}${path.search}&format=md`);
    expect(markdown.headers.get("content-type")).toContain("text/markdown");
    expect(await markdown.text()).toContain("# Lesson digest for Gemeente Proef");

    const pdfResponse = await fetch(`${base}${path.pathname}${path.search}&format=pdf`);
    expect(pdfResponse.headers.get("content-type")).toBe("application/pdf");
    const pdf = pdfText(Buffer.from(await pdfResponse.arrayBuffer()));
    expect(pdf.pages).toBeGreaterThanOrEqual(1);
    expect(pdf.text).toContain("Lesson digest for Gemeente Proef");
    expect(pdf.text).toContain("7 new lessons (previous period: 1)");
    expect(pdf.text).toContain("Participation: 89% of retro invitations answered");
    expect(pdf.text).toContain("2 projects stalled");

    const archive = await fetch(`${base}/digests${path.search}`);
    expect(archive.status).toBe(200);
    expect(await archive.text()).toContain(`/digests/${digestId}?token=`);
  });

  it("answers 403 to forged, altered, expired and foreign tokens", async () => {
    const digestId = (await database.db.digest.findFirstOrThrow()).id;
    const signer = digestLinkSigner(SECRET);
    const link = (personId: string, organisationId = seed.organisationId, now = NOW) =>
      digestLink({ signer, publicUrl: base, digestId, organisationId, personId, now });
    const status = async (token: string, at = NOW) => {
      pageNow = at;
      try {
        return (await fetch(`${base}/digests/${digestId}?token=${encodeURIComponent(token)}`)).status;
      } finally {
        pageNow = NOW;
      }
    };
    const good = link(seed.adviserId).token;
    expect(await status(good)).toBe(200);
    expect(await status(good, new Date(NOW.getTime() + 13 * DAY))).toBe(200);
    // Expired after the default 14 days.
    expect(await status(good, new Date(NOW.getTime() + 14 * DAY))).toBe(403);
    // Altered signature, altered payload, and one signed with another key.
    const [body, signature] = good.split(".") as [string, string];
    const flipped = `${signature.slice(0, -2)}${signature.at(-2) === "A" ? "B" : "A"}${signature.at(-1)}`;
    expect(await status(`${body}.${flipped}`)).toBe(403);
    const payload = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
    const longer = Buffer.from(JSON.stringify({ ...payload, e: payload.e + 365 * DAY })).toString("base64url");
    expect(await status(`${longer}.${signature}`)).toBe(403);
    const forged = createLinkSigner("another-secret-entirely-1234").sign({
      personId: seed.adviserId,
      purpose: `digests:${seed.organisationId}`,
      expiresAt: new Date(NOW.getTime() + DAY),
    });
    expect(await status(forged)).toBe(403);
    // A valid signature for someone who is not an adviser, or for another organisation.
    expect(await status(link(seed.memberId).token)).toBe(403);
    expect(await status(link(seed.adviserId, "another-organisation").token)).toBe(403);
    expect(await status("")).toBe(403);
    expect((await fetch(`${base}/digests/${digestId}`)).status).toBe(403);
    expect((await fetch(`${base}/digests?token=${encodeURIComponent(forged)}`)).status).toBe(403);
  });
});
