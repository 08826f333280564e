import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_IDS } from "../../src/persistence/demo-seed.ts";
import { freePort } from "../support/free-port.ts";
import { eventually } from "../support/test-clock.ts";

const root = path.resolve(import.meta.dirname, "../..");

// The newcomer's path: `leerlus demo` on the embedded PGlite database, as a real process.
describe("leerlus demo on the embedded defaults", () => {
  let dataDir: string;
  let child: ChildProcess;
  let base: string;
  let output = "";

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "leerlus-demo-"));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const { DATABASE_URL: _ignored, ...environment } = process.env;
    child = spawn(process.execPath, ["bin/leerlus.js", "demo"], {
      cwd: root,
      env: {
        ...environment,
        PORT: String(port),
        DATA_DIR: dataDir,
        QUEUE_PREFIX: `demo-${port}`,
        LOG_LEVEL: "info",
        ADMIN_PASSWORD: "admin-password-for-the-demo-test",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr?.on("data", (chunk) => {
      output += chunk;
    });
    await eventually(() => output.includes("Leerlus demo is running"), 60_000);
  }, 90_000);

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    await rm(dataDir, { recursive: true, force: true });
  });

  it("migrates, seeds, prints the URL and serves the demo data", async () => {
    expect(output).toContain(`${base}/?as=${DEMO_IDS.lotte}`);
    expect(output).not.toMatch(/Lotte Jansen|Sanne de Vries/); // no personal data in the logs
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.headers.get("x-request-id")).toMatch(/^[\w-]+$/);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/leerlus_queue_jobs\{queue="demo-\d+-ticks",state="waiting"\} \d+/);
    expect(metrics).toMatch(/^leerlus_retro_invitations\{window="30d"\} \d+$/m);
    // The queue dashboard is for operators only.
    expect((await fetch(`${base}/admin/queues`)).status).toBe(401);
    const wrong = Buffer.from("admin:not-the-password").toString("base64");
    expect((await fetch(`${base}/admin/queues`, { headers: { authorization: `Basic ${wrong}` } })).status).toBe(401);
    const right = Buffer.from("admin:admin-password-for-the-demo-test").toString("base64");
    const dashboard = await fetch(`${base}/admin/queues`, { headers: { authorization: `Basic ${right}` } });
    expect(dashboard.status).toBe(200);
    expect(await dashboard.text()).toContain("<html");
    const login = await fetch(`${base}/?as=${DEMO_IDS.lotte}`, { redirect: "manual" });
    const cookie = login.headers.get("set-cookie")?.split(";")[0] ?? "";
    const me = (await (await fetch(`${base}/web/api/me`, { headers: { cookie } })).json()) as {
      person: { displayName: string };
      conversations: { title: string }[];
    };
    expect(me.person.displayName).toBe("Lotte Jansen");
    expect(me.conversations.map((conversation) => conversation.title)).toEqual(
      expect.arrayContaining(["Slimme straatreiniging", "Woningbouwmonitor"]),
    );
    // Within moments of start a member has a retro prompt waiting in their direct messages.
    const prompt = await eventually(async () => {
      const response = await fetch(
        `${base}/web/api/conversations/${encodeURIComponent(`web:dm:${DEMO_IDS.lotte}`)}/messages`,
        {
          headers: { cookie },
        },
      );
      const body = await response.text();
      return body.includes("<form") && body;
    }, 30_000);
    expect(prompt).toContain("Retro 1");
  }, 60_000);

  it("stops cleanly on SIGTERM", async () => {
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 35_000);
});
