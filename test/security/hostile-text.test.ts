// The same hostile strings, written by people (project name, display name, answer, lesson),
// through every renderer Leerlus has. Each must come out inert: no mass mention, no live
// link, no formatting, no formula, no crash on a lone surrogate.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderMessages } from "../../adapters/slack/render-blocks.ts";
import { renderModal } from "../../adapters/slack/render-views.ts";
import { renderCards } from "../../adapters/teams/render-card.ts";
import { renderDigestPage } from "../../adapters/web/digest-html.ts";
import { renderLessonsPage } from "../../adapters/web/lessons-page.ts";
import { renderMessageHtml } from "../../adapters/web/render-html.ts";
import type { DigestContent } from "../../src/domain/digest-content.ts";
import { EXCHANGE_FIELDS } from "../../src/domain/lesson-exchange.ts";
import type { Message } from "../../src/domain/message.ts";
import type { LessonView } from "../../src/ports/lesson-library.ts";
import type { CycleRecord } from "../../src/ports/retro-store.ts";
import { digestPdf } from "../../src/runtime/digest-pdf.ts";
import { digestMarkdown } from "../../src/use-cases/digest/digest-markdown.ts";
import { digestView } from "../../src/use-cases/digest/digest-view.ts";
import { csvRecords } from "../../src/use-cases/imports/csv-records.ts";
import { renderExport } from "../../src/use-cases/lessons/lesson-exchange.ts";
import { digestMessage } from "../../src/use-cases/messages/digest-message.ts";
import { reply } from "../../src/use-cases/messages/reply.ts";
import { retroPromptMessage } from "../../src/use-cases/messages/retro-prompt-message.ts";
import { summaryMessage } from "../../src/use-cases/messages/summary-message.ts";
import { launchBrowser, type TestBrowser } from "../support/browser.ts";
import { pdfText } from "../support/pdf-text.ts";
import { prompts } from "../support/test-core.ts";

const NOW = new Date("2026-11-23T10:00:00Z");

const HOSTILE = [
  "<!channel>",
  "<@U123>",
  "@everyone",
  "*bold*",
  "_it_",
  "[x](http://evil.example)",
  "<http://evil.example|x>",
  "<script>alert(1)</script>",
  '=HYPERLINK("http://evil.example","x")',
  "+cmd",
  "-1+1",
  "@SUM(A1)",
  "\tTAB",
  "\rCR",
  "\uD800",
];

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Characters some surface reads as syntax; a string without any is inert everywhere by itself. */
const SIGNIFICANT = /[*_~`[\]()<>#+\-!|=@:]/;
/** What a reader should still see of the hostile text: well-formed, whitespace folded. */
const visible = (text: string) => text.replace(LONE_SURROGATE, "\uFFFD").replace(/\s+/g, " ").trim();

// ---- what each surface gets ----

function messages(hostile: string): Message[] {
  const cycle: CycleRecord = {
    id: "c1",
    projectId: "p1",
    sequence: 3,
    format: "start-stop-continue",
    questions: {
      nl: [...prompts.retroFormat("start-stop-continue", "nl").questions],
      en: [...prompts.retroFormat("start-stop-continue", "en").questions],
    },
    status: "open",
    opensAt: NOW,
    remindsAt: NOW,
    closesAt: NOW,
    remindedAt: null,
    plannedAt: NOW,
  };
  return [
    summaryMessage({
      prompts,
      locale: "nl",
      projectName: hostile,
      sequence: 3,
      summary: {
        invited: 4,
        answered: 3,
        questions: [
          { key: "q", text: "Wat ging goed?", kind: "multiline", answers: [hostile], average: null, scoreCount: 0 },
        ],
      },
      lessons: [{ id: "l1", text: hostile, projectName: hostile, phase: "pilot", themes: [] }],
      actions: [{ text: hostile }],
      withheld: false,
    }),
    retroPromptMessage({
      prompts,
      locale: "nl",
      projectName: hostile,
      cycle,
      intro: "Welkom",
      firstCycle: false,
      askDiscipline: false,
      actionsToReview: [
        {
          id: "a1",
          projectId: "p1",
          projectName: hostile,
          text: hostile,
          ownerIds: ["o1"],
          ownerNames: [hostile],
          createdAt: NOW,
        },
      ],
    }),
    digestMessage({
      prompts,
      locale: "nl",
      view: digest(hostile),
      link: { url: "https://leerlus.example/digest/1", expiresAt: NOW },
    }),
    // Replies that name a person or project someone typed.
    reply(prompts, "nl", "actions.reassign.done", {}, { owner: hostile }),
    reply(prompts, "nl", "gates.review.stopped", {}, { project: hostile }),
  ];
}

function lesson(hostile: string): LessonView {
  return {
    id: "l1",
    organisationId: "o1",
    projectId: "p1",
    projectName: hostile,
    publisher: hostile,
    text: hostile,
    context: hostile,
    recommendation: hostile,
    phase: "pilot",
    themes: ["communication"],
    disciplines: ["communication"],
    source: "import",
    visibility: "shared",
    status: "confirmed",
    licence: hostile,
    contact: hostile,
    usefulCount: 1,
    notUsefulCount: 0,
    appliedIn: [hostile],
    domain: null,
    createdAt: NOW,
  };
}

function digest(hostile: string) {
  const shown = { shown: true as const, invited: 4, answered: 3 };
  const item = { text: hostile, projectName: hostile, usefulCount: 2, themes: ["communication"] };
  const content: DigestContent = {
    version: 2,
    periodStart: "2026-11-16T00:00:00.000Z",
    periodEnd: "2026-11-23T00:00:00.000Z",
    minGroupSize: 3,
    lessonCount: 1,
    previousLessonCount: 0,
    highlights: [item],
    themes: [{ themeId: "communication", count: 1, lessons: [item] }],
    recurring: [],
    participation: [{ projectName: hostile, ...shown }],
    participationOverTime: [
      { periodStart: "2026-11-16T00:00:00.000Z", periodEnd: "2026-11-23T00:00:00.000Z", ...shown },
    ],
    themesOverTime: { periods: [], series: [] },
    followThrough: {
      overall: { shown: false },
      previous: { shown: false },
      projects: [{ projectName: hostile, shown: true, reviewed: 2, done: 1, notYet: 1, dropped: 0 }],
    },
    learning: [],
    stalled: [{ projectName: hostile, phase: "pilot", reasons: ["no-retro"], overdueDays: 3 }],
    interventions: [],
  };
  return digestView({ prompts, locale: "nl", organisationName: hostile, content });
}

// ---- what counts as live, per surface ----

/** `fallback`: a message's top-level text, mrkdwn that can't be marked verbatim. */
type Slack = { text: string; kind: "mrkdwn" | "plain_text" | "fallback"; verbatim?: boolean };

function slackTexts(node: unknown, out: Slack[] = []): Slack[] {
  if (Array.isArray(node)) for (const item of node) slackTexts(item, out);
  else if (node && typeof node === "object") {
    const record = node as Record<string, unknown>;
    if ((record.type === "mrkdwn" || record.type === "plain_text") && typeof record.text === "string") {
      out.push({ text: record.text, kind: record.type, verbatim: record.verbatim as boolean | undefined });
    }
    for (const value of Object.values(record)) slackTexts(value, out);
  }
  return out;
}

/** Slack reads `&lt;` as `<`; invisible separators are what keeps formatting characters apart. */
const slackVisible = (text: string) =>
  text
    .replace(/\u200B/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

function slackProblems(texts: Slack[], hostile: string): string[] {
  const problems: string[] = [];
  for (const { text, kind, verbatim } of texts) {
    if (LONE_SURROGATE.test(text)) problems.push(`lone surrogate in ${JSON.stringify(text)}`);
    if (/<[!@#]|<(https?|mailto):/.test(text)) problems.push(`mention or link in ${JSON.stringify(text)}`);
    // Our own copy may be bold (a form title); only text that carries the user's words is judged.
    if (kind === "plain_text" || !slackVisible(text).includes(visible(hostile))) continue;
    for (const mark of ["*", "_", "~", "`"]) {
      const m = `\\${mark}`;
      const span = new RegExp(`(^|[\\s(])${m}[^\\s${m}](?:[^${m}\\n]*[^\\s${m}])?${m}(?=$|[\\s.,!?;:)])`, "m");
      if (span.test(text)) problems.push(`${mark} formatting in ${JSON.stringify(text)}`);
    }
    if (/(^|\n)(&gt;|>)/.test(text)) problems.push(`quote in ${JSON.stringify(text)}`);
    // Unless verbatim, Slack links bare URLs and parses @everyone-style mentions itself.
    if (kind === "fallback") {
      if (/@\w|:\/\//.test(text)) problems.push(`URL or @word in the fallback: ${JSON.stringify(text)}`);
    } else if (verbatim !== true && /https?:\/\/|@/.test(hostile)) {
      problems.push(`user text in a non-verbatim mrkdwn: ${JSON.stringify(text)}`);
    }
  }
  return problems;
}

function markdownProblems(markdown: string, hostile: string): string[] {
  const problems: string[] = [];
  if (LONE_SURROGATE.test(markdown)) problems.push("lone surrogate");
  const raw = new RegExp(`(?<!\\\\)${hostile.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`);
  if (SIGNIFICANT.test(hostile) && raw.test(markdown)) problems.push(`raw ${JSON.stringify(hostile)}`);
  if (/(?<!\\)\]\(|(?<!\\)<(https?:|script)/i.test(markdown)) problems.push("link or html");
  if (/(?<![\\\w])https?:\/\//.test(markdown)) problems.push("bare URL autolink");
  if (/(?<!\\)\*bold(?<!\\)\*|(?<![\\\w])_it(?<!\\)_/.test(markdown)) problems.push("emphasis");
  if (/^\s*[-+*]\s/m.test(markdown.replace(/^- /gm, ""))) problems.push("list made by user text");
  return problems;
}

function htmlProblems(html: string, hostile: string): string[] {
  const problems: string[] = [];
  if (LONE_SURROGATE.test(html)) problems.push("lone surrogate");
  if (/<script|href="http:\/\/evil|<http/i.test(html)) problems.push("markup or link");
  if (/[<>&"']/.test(hostile) && html.includes(hostile)) problems.push(`raw ${JSON.stringify(hostile)}`);
  return problems;
}

// ---- the table ----

type Surface = { name: string; problems(hostile: string): Promise<string[]> | string[] };

let browser: TestBrowser;
type TeamsRender = { markdown: string[]; text: string; events: number };

/** The official Adaptive Cards renderer in Chromium; it hands every text it would treat as markdown to the host. */
async function renderTeams(cards: unknown[]): Promise<TeamsRender> {
  const page = await browser.context.newPage();
  await page.setContent("<!doctype html><html><body><main id='card'></main></body></html>");
  await page.addScriptTag({ path: "node_modules/adaptivecards/dist/adaptivecards.min.js" });
  const result = await page.evaluate((all) => {
    // biome-ignore lint/suspicious/noExplicitAny: the library's global in the page
    const AC = (window as any).AdaptiveCards;
    const markdown: string[] = [];
    AC.AdaptiveCard.onProcessMarkdown = (text: string, result: { didProcess: boolean }) => {
      markdown.push(text);
      result.didProcess = false;
    };
    let events = 0;
    let text = "";
    for (const json of all) {
      const card = new AC.AdaptiveCard();
      const context = new AC.SerializationContext();
      card.parse(json, context);
      events += context.eventCount;
      const element = card.render() as HTMLElement;
      document.getElementById("card")?.appendChild(element);
      text += `${element.textContent ?? ""}\n`;
    }
    return { markdown, text, events };
  }, cards);
  await page.close();
  return result;
}

const teamsT = (key: string, vars?: Record<string, string | number>) => prompts.t("nl", `teams.${key}`, vars);
const slackCopy = { answer: "Antwoorden", close: "Sluiten", truncated: "Ingekort.", continued: "Vervolg." };
const webT = (key: string, vars?: Record<string, string | number>) => prompts.t("nl", `web.${key}`, vars);

const SURFACES: Surface[] = [
  {
    name: "Slack messages",
    problems: (hostile) =>
      slackProblems(
        messages(hostile)
          .flatMap((message) => renderMessages(message, slackCopy))
          .flatMap((payload) => [{ text: payload.text, kind: "fallback" as const }, ...slackTexts(payload.blocks)]),
        hostile,
      ),
  },
  {
    name: "Slack modal",
    problems: (hostile) => {
      const view = renderModal(
        messages(hostile)[1] as Message,
        { actionId: "retro.answer", value: "c1", conversationRef: "slack:T1:D1:U1" },
        slackCopy,
      );
      return slackProblems(slackTexts(view), hostile);
    },
  },
  {
    name: "Teams cards",
    problems: async (hostile) => {
      const cards = messages(hostile).flatMap((message) => renderCards(message, teamsT));
      const rendered = await renderTeams(cards);
      const problems: string[] = [];
      if (rendered.events > 0) problems.push(`${rendered.events} parse warnings`);
      for (const text of rendered.markdown) {
        if (SIGNIFICANT.test(hostile) && text.includes(hostile)) problems.push(`markdown gets ${JSON.stringify(text)}`);
        if (/(?<![\\\w])https?:\/\/evil/.test(text)) problems.push(`markdown autolink in ${JSON.stringify(text)}`);
        if (LONE_SURROGATE.test(text)) problems.push("lone surrogate");
      }
      if (!visible(rendered.text).includes(visible(hostile))) problems.push("user text not shown as written");
      return problems;
    },
  },
  {
    name: "web chat HTML",
    problems: (hostile) =>
      htmlProblems(
        messages(hostile)
          .map((message, index) => renderMessageHtml({ id: `m${index}`, seq: String(index), message }, webT))
          .join("\n"),
        hostile,
      ),
  },
  {
    name: "lessons page HTML",
    problems: (hostile) => {
      const data = {
        locale: "nl" as const,
        displayName: hostile,
        results: [{ ...lesson(hostile), editable: true, fromElsewhere: true, domainLabel: hostile }],
        themes: [{ id: "communication", label: "Communicatie" }],
        phases: [{ id: "pilot", label: "Pilot" }],
        disciplines: [{ id: "communication", label: "Communicatie" }],
        visibilities: [{ id: "shared", label: "Gedeeld" }],
        projects: [{ id: "p1", name: hostile }],
      };
      const query = { q: hostile, theme: "", phase: "", project: hostile, discipline: "" };
      const t = (key: string, vars?: Record<string, string | number>) => prompts.t("nl", `lessons.${key}`, vars);
      return htmlProblems(renderLessonsPage(data, query, t, hostile), hostile);
    },
  },
  {
    name: "digest page HTML",
    problems: (hostile) =>
      htmlProblems(
        renderDigestPage({
          view: digest(hostile),
          links: { markdown: "/d.md", pdf: "/d.pdf", archive: "/a" },
          words: { markdown: "Markdown", pdf: "PDF", archive: "Archief", hidden: "te weinig", period: "Periode" },
        }),
        hostile,
      ),
  },
  { name: "digest Markdown", problems: (hostile) => markdownProblems(digestMarkdown(digest(hostile), "–"), hostile) },
  {
    name: "lessons Markdown export",
    problems: (hostile) =>
      markdownProblems(
        renderExport([lesson(hostile)], "md", { prompts, locale: "nl", organisation: hostile, now: NOW }),
        hostile,
      ),
  },
  {
    name: "lessons CSV export",
    problems: async (hostile) => {
      const csv = renderExport([lesson(hostile)], "csv", { prompts, locale: "nl", organisation: hostile, now: NOW });
      const problems: string[] = [];
      if (LONE_SURROGATE.test(csv)) problems.push("lone surrogate");
      // A spreadsheet reads the raw cell: no cell (quoted or not) may start a formula.
      const formula = /(?:^|,|\r\n)"?[=+\-@\t\r]/.exec(csv.split("\r\n").slice(1).join("\r\n"));
      if (formula) problems.push(`formula cell at ${JSON.stringify(formula[0])}`);
      // Reading our own export back gives the text as written.
      const records = [];
      for await (const record of csvRecords([csv])) records.push(record);
      const [, row] = records;
      if (row?.cells.length !== EXCHANGE_FIELDS.length) problems.push("cells lost");
      if (row?.cells[0] !== hostile.replace(LONE_SURROGATE, "\uFFFD"))
        problems.push(`read back ${JSON.stringify(row?.cells[0])}`);
      return problems;
    },
  },
  {
    name: "digest PDF",
    problems: async (hostile) => {
      const pdf = await digestPdf(digest(hostile), "–");
      const problems: string[] = [];
      const raw = pdf.toString("latin1");
      if (/\/URI|\/Annots/.test(raw)) problems.push("link annotation");
      const { text } = pdfText(pdf);
      // The standard fonts show printable Latin text; the rest may become any glyph, but must not crash.
      const printable = visible(hostile)
        .replace(/[^\x20-\x7e]/g, "")
        .trim();
      if (!visible(text).includes(printable)) problems.push("user text missing");
      return problems;
    },
  },
];

describe("user text stays text on every surface", () => {
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => browser?.close());

  describe.each(SURFACES)("$name", (surface) => {
    it.each(HOSTILE.map((hostile) => [JSON.stringify(hostile), hostile]))("%s is inert", async (_name, hostile) => {
      expect(await surface.problems(hostile)).toEqual([]);
    });
  });
});
