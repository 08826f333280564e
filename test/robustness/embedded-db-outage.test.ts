import { mkdtemp, rm } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type Db } from "../../src/persistence/database.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import { type EmbeddedPostgres, startEmbeddedPostgres } from "../../src/persistence/embedded-postgres.ts";
import { migrateDatabase } from "../../src/persistence/migrate.ts";
import { silentLogger } from "../../src/ports/logger.ts";
import { createHttpApp } from "../../src/runtime/http-app.ts";
import { databaseReadiness } from "../../src/runtime/readiness.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { handleEventSafely } from "../../src/use-cases/handle-event-safely.ts";
import { countWhere } from "../support/fixtures.ts";
import { closeServer } from "../support/listen-app.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestCore } from "../support/test-core.ts";

// The demo's database is PGlite in the same process, one session behind a local socket. A
// dropped connection must not leave the demo broken ("prepared statement … already exists")
// while /readyz says all is well.
describe("the embedded database's connection drops", () => {
  let dataDir: string;
  let embedded: EmbeddedPostgres;
  let proxy: TcpProxy;
  let db: Db;
  let core: ReturnType<typeof createTestCore>;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "leerlus-embedded-outage-"));
    embedded = await startEmbeddedPostgres({ dataDir });
    await migrateDatabase(embedded.url);
    const direct = new URL(embedded.url);
    proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port) });
    const proxied = new URL(embedded.url);
    proxied.port = String(proxy.port);
    db = createDatabase(proxied.toString(), 1);
    core = createTestCore({ db }, [createRecordingAdapter("web")]);
    await seedDemo(db, { now: core.clock.now(), fast: true });
    const app = createHttpApp({
      routers: [],
      readiness: [databaseReadiness(db)],
      metrics: async () => "",
      logger: silentLogger,
    });
    server = app.listen(0, "127.0.0.1");
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 60_000);

  afterAll(async () => {
    await closeServer(server);
    await core?.close();
    await db?.destroy();
    await proxy?.close();
    await embedded?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const help = () =>
    handleEventSafely(core.deps, {
      type: "command",
      platform: "web",
      tenantId: DEMO_IDS.organisation,
      platformUserId: DEMO_IDS.lotte,
      conversationRef: `web:dm:${DEMO_IDS.lotte}`,
      text: "help",
    });

  async function readyz(): Promise<{ status: number; ms: number }> {
    const started = performance.now();
    const response = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(30_000) });
    await response.body?.cancel();
    return { status: response.status, ms: performance.now() - started };
  }

  it("says not ready while it is unreachable, and the demo works again afterwards", async () => {
    await advanceProject(core.deps, DEMO_IDS.pilot, { openNow: true });
    const before = await help();
    expect(before.length).toBeGreaterThan(0);
    expect((await readyz()).status).toBe(200);

    await proxy.cut();
    const down = await readyz();
    expect(down.status).toBe(503);
    expect(down.ms).toBeLessThan(2_000);

    await proxy.restore();
    await eventually(async () => (await readyz()).status === 200, 10_000);
    // The statements the demo prepared on its old connection are prepared again on the new one.
    await advanceProject(core.deps, DEMO_IDS.implementation, { openNow: true });
    expect(await countWhere(db, "RetroCycle", { projectId: DEMO_IDS.implementation })).toBe(1);
    expect((await help()).map((reply) => reply.fallback)).toEqual(before.map((reply) => reply.fallback));
  }, 60_000);

  it("says not ready while it restarts, and the demo works again on the restarted database", async () => {
    const port = Number(new URL(embedded.url).port);
    await embedded.stop();
    const down = await readyz();
    expect(down.status).toBe(503);
    expect(down.ms).toBeLessThan(2_000);

    embedded = await startEmbeddedPostgres({ dataDir, port });
    await eventually(async () => (await readyz()).status === 200, 10_000);
    core.clock.advance(10 * 60_000);
    await advanceProject(core.deps, DEMO_IDS.pilot);
    expect(await countWhere(db, "RetroCycle", { projectId: DEMO_IDS.pilot })).toBeGreaterThanOrEqual(1);
    expect((await help()).length).toBeGreaterThan(0);
  }, 60_000);
});
