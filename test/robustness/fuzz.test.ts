import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateAnswers } from "../../src/domain/answer-validation.ts";
import { parseCadence } from "../../src/domain/cadence-text.ts";
import { parseCommand } from "../../src/domain/command.ts";
import { DEMO_IDS } from "../../src/persistence/demo-seed.ts";
import { prompts } from "../support/test-core.ts";
import { startWebApp, type WebApp } from "../support/web-app.ts";

describe("generated input never crashes the parsers", () => {
  it("parses any command text into a known command", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const command = parseCommand(text);
        expect(typeof command.name).toBe("string");
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.string(), (text) => void parseCadence(text)),
      { numRuns: 1000 },
    );
  });

  it("validates any answer map without throwing", () => {
    const questions = prompts.retroFormat("four-ls", "nl").questions;
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 20 }), fc.string({ maxLength: 4000 })), (raw) => {
        const result = validateAnswers(questions, raw);
        expect(typeof result.ok).toBe("boolean");
      }),
      { numRuns: 500 },
    );
  });
});

describe("generated HTTP requests never get a 5xx", () => {
  let app: WebApp;
  let base: string;
  let cookie: string;

  beforeAll(async () => {
    app = await startWebApp();
    base = app.base;
    const login = await fetch(`${base}/?as=${DEMO_IDS.lotte}`, { redirect: "manual" });
    cookie = login.headers.get("set-cookie")?.split(";")[0] ?? "";
  });

  afterAll(async () => app?.close());

  const paths = ["/web/api/command", "/web/api/action", "/web/api/form", "/nowhere", "/healthz"];
  const dm = `web:dm:${DEMO_IDS.lotte}`;
  const body = fc.oneof(
    fc.string({ maxLength: 500 }),
    fc.json({ maxDepth: 3 }),
    fc.record({ conversationRef: fc.oneof(fc.constant(dm), fc.string()), text: fc.string({ maxLength: 300 }) }),
    fc.record({
      conversationRef: fc.constant(dm),
      actionId: fc.constantFrom(
        "retro.answer",
        "retro.open",
        "checkpoint.done",
        "lesson.confirm",
        "privacy.export",
        "x",
      ),
      value: fc.oneof(fc.uuid(), fc.string({ maxLength: 80 })),
      answers: fc.dictionary(fc.string({ maxLength: 12 }), fc.string({ maxLength: 600 })),
    }),
  );

  it("answers every generated body with a clear status below 500", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), body, fc.boolean(), async (path, payload, signedIn) => {
        const response = await fetch(`${base}${path}`, {
          method: "POST",
          headers: { "content-type": "application/json", ...(signedIn ? { cookie } : {}) },
          body: typeof payload === "string" ? payload : JSON.stringify(payload),
        });
        await response.arrayBuffer();
        expect(response.status).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});
