import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import { createDatabase } from "../../src/persistence/database.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import type { CycleRecord } from "../../src/ports/retro-store.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { handleEventSafely } from "../../src/use-cases/handle-event-safely.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.ts";
import { createTestCore } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

// PostgreSQL goes away while a person submits answers: they are told it was not saved,
// nothing saved before is lost, and sending again once it is back works.
describe("PostgreSQL unreachable during a submission", () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let core: ReturnType<typeof createTestCore>;

  beforeAll(async () => {
    database = await createTestDatabase();
    const direct = new URL(database.url);
    proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    const proxied = new URL(database.url);
    proxied.port = String(proxy.port);
    const db = createDatabase(proxied.toString(), 2);
    core = createTestCore({ db }, [createRecordingAdapter("web")]);
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
  });

  afterAll(async () => {
    await core?.close();
    await proxy?.close();
    await database?.drop();
  });

  it("says 'not saved yet', keeps what was saved, and saves the resubmission", async () => {
    await advanceProject(core.deps, DEMO_IDS.pilot);
    const cycle = (await core.deps.stores.retro.latestCycle(DEMO_IDS.pilot)) as CycleRecord;
    const submit = (text: string): InboundEvent => ({
      type: "formSubmitted",
      platform: "web",
      tenantId: DEMO_IDS.organisation,
      platformUserId: DEMO_IDS.lotte,
      conversationRef: `web:dm:${DEMO_IDS.lotte}`,
      actionId: "retro.answer",
      value: cycle.id,
      answers: Object.fromEntries(cycle.questions.nl.map((q) => [q.key, q.kind === "scale" ? "3" : text])),
    });
    expect((await handleEventSafely(core.deps, submit("eerste versie")))[0]?.fallback).toMatch(/opgeslagen/);

    await proxy.cut();
    const outage = await handleEventSafely(core.deps, submit("tweede versie"));
    expect(outage[0]?.fallback).toMatch(/nog niet opgeslagen/);

    const written = () =>
      database.db
        .selectFrom("Answer")
        .select("text")
        .where("cycleId", "=", cycle.id)
        .where("text", "is not", null)
        .execute();
    const kept = await written();
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.every((answer) => answer.text === "eerste versie")).toBe(true);

    await proxy.restore();
    expect((await handleEventSafely(core.deps, submit("tweede versie")))[0]?.fallback).toMatch(/^Bijgewerkt: /);
    const updated = await written();
    expect(updated.every((answer) => answer.text === "tweede versie")).toBe(true);
  }, 60_000);
});
