import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebAdapter, type WebAdapter } from "../../adapters/web/create-web-adapter.ts";
import { validateAnswers } from "../../src/domain/answer-validation.ts";
import { parseCadence } from "../../src/domain/cadence-text.ts";
import { parseCommand } from "../../src/domain/command.ts";
import { createHttpApp } from "../../src/http-app.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import { createRedisNotifier, type RedisNotifier } from "../../src/persistence/redis-notifier.ts";
import { createWebDirectoryRepository } from "../../src/persistence/web-directory-repository.ts";
import { createWebMessageRepository } from "../../src/persistence/web-message-repository.ts";
import { silentLogger } from "../../src/ports/logger.ts";
import { handleEventSafely } from "../../src/use-cases/handle-event-safely.ts";
import { createLinkSigner } from "../../src/use-cases/signed-link.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { createTestCore, prompts, REDIS_URL } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

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
  let database: TestDatabase;
  let notifier: RedisNotifier;
  let web: WebAdapter;
  let core: ReturnType<typeof createTestCore>;
  let server: Server;
  let base: string;
  let cookie: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    notifier = createRedisNotifier({ redisUrl: REDIS_URL, channel: `fuzz-${randomBytes(6).toString("hex")}` });
    web = createWebAdapter({
      store: createWebMessageRepository(database.db),
      notifier,
      directory: createWebDirectoryRepository(database.db),
      linkSigner: createLinkSigner("link-secret-for-the-fuzz-test-0123"),
      demo: true,
      text: (locale, key, vars) => prompts.t(locale, key, vars),
      sessionSecret: "session-secret-for-the-fuzz-test-01",
    });
    core = createTestCore(database, [createRecordingAdapter("web")]);
    await web.adapter.start((event) => handleEventSafely(core.deps, event));
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
    const app = createHttpApp({ routers: [web.router], readiness: [], metrics: async () => "", logger: silentLogger });
    server = app.listen(0, "127.0.0.1");
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const login = await fetch(`${base}/?as=${DEMO_IDS.lotte}`, { redirect: "manual" });
    cookie = login.headers.get("set-cookie")?.split(";")[0] ?? "";
  });

  afterAll(async () => {
    await web?.adapter.stop();
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await core?.close();
    await notifier?.close();
    await database?.drop();
  });

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
