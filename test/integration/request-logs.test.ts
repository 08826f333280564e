import { Writable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_IDS } from "../../src/persistence/demo-seed.ts";
import type { Logger } from "../../src/ports/logger.ts";
import { createLogger } from "../../src/runtime/logger.ts";
import { countWhere } from "../support/fixtures.ts";
import { startWebApp, type WebApp } from "../support/web-app.ts";

type Line = Record<string, unknown> & { msg: string; requestId?: string };

const TOKEN = "SECRET-TOKEN-4242";
const NAME = "Lotte Jansen";
const ANSWER = "Vertrouwelijk antwoord over wethouder Pietersen";

/**
 * A route that logs three times while it works: before and after a database query and
 * after a timer, so the request id has to follow the request through its awaits.
 */
function probeRouter(logger: Logger, app: () => WebApp): express.Router {
  const router = express.Router();
  router.post("/probe/steps/:who", async (request, response) => {
    logger.info({ step: 1, fields: Object.keys(request.body ?? {}).length }, "probe started");
    await countWhere(app().database.db, "Organisation");
    logger.info({ step: 2 }, "probe read the database");
    await sleep(Number(request.query.wait ?? 1));
    logger.child({ part: "probe" }).warn({ step: 3 }, "probe done");
    response.json({ ok: true });
  });
  return router;
}

describe("request logs", () => {
  const lines: Line[] = [];
  const raw: string[] = [];
  let app: WebApp;

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        raw.push(String(chunk));
        for (const text of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(text));
        done();
      },
    });
    const logger = createLogger("debug", sink);
    app = await startWebApp({ logger, routers: [probeRouter(logger, () => app)] });
  });

  afterAll(async () => {
    await app?.close();
  });

  async function probe(wait: number, headers: Record<string, string> = {}): Promise<string> {
    const response = await fetch(`${app.base}/probe/steps/${encodeURIComponent(NAME)}?token=${TOKEN}&wait=${wait}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ name: NAME, answer: ANSWER }),
    });
    expect(response.status).toBe(200);
    return response.headers.get("x-request-id") ?? "";
  }

  it("carry the request's id on every line written while handling it, requests side by side", async () => {
    // Two requests at once, the first finishing last: their lines interleave in the log.
    const [slow, fast] = await Promise.all([probe(30), probe(1)]);
    expect(slow).toMatch(/^[\w-]{8,}$/);
    expect(fast).not.toBe(slow);
    for (const requestId of [slow, fast]) {
      const own = lines.filter((line) => line.requestId === requestId);
      expect(own.map((line) => line.msg)).toEqual([
        "probe started",
        "probe read the database",
        "probe done",
        "request",
      ]);
      expect(own.at(-1)).toMatchObject({ req: { method: "POST", area: "/probe/steps" }, status: 200 });
    }
    // No line of a probe went without its id.
    expect(lines.filter((line) => line.msg.startsWith("probe") && !line.requestId)).toEqual([]);
  });

  it("keep a plain x-request-id from the client and replace one that is not", async () => {
    expect(await probe(1, { "x-request-id": "trace-abc-123" })).toBe("trace-abc-123");
    expect(lines.filter((line) => line.requestId === "trace-abc-123")).toHaveLength(4);
    const replaced = await probe(1, { "x-request-id": `${NAME} <script>` });
    expect(replaced).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("name no tokens, names, cookies, answers or conversation ids", async () => {
    const persona = await fetch(`${app.base}/?as=${DEMO_IDS.lotte}`, { redirect: "manual" });
    expect(persona.status).toBe(303);
    const cookie = /leerlus_web=[^;]+/.exec(persona.headers.get("set-cookie") ?? "")?.[0] ?? "";
    expect(cookie).not.toBe("");
    const command = await fetch(`${app.base}/web/api/command`, {
      method: "POST",
      headers: { "content-type": "application/json", "sec-fetch-site": "same-origin", cookie },
      body: JSON.stringify({ conversationRef: `web:dm:${DEMO_IDS.lotte}`, text: ANSWER }),
    });
    expect(command.status).toBeLessThan(500);
    expect((await fetch(`${app.base}/signin?token=${TOKEN}`, { redirect: "manual" })).status).toBeLessThan(500);
    const areas = lines.filter((line) => line.msg === "request").map((line) => (line.req as { area: string }).area);
    expect(areas).toEqual(expect.arrayContaining(["/", "/web/api", "/signin"]));
    const log = raw.join("");
    for (const secret of [
      TOKEN,
      "token=",
      "Lotte",
      "Jansen",
      "Pietersen",
      "Vertrouwelijk",
      "web:dm:",
      "leerlus_web",
      DEMO_IDS.lotte,
    ]) {
      expect(log).not.toContain(secret);
    }
    // Headers and the client's address stay out too.
    expect(log).not.toMatch(/"headers"|"remoteAddress"|"cookie"|user-agent/i);
  });
});
