// `digest` (overzicht) shows the current period's digest however often it is asked, and the
// schedule does not make a new one at every run of a short period (the demo's one day, every
// few minutes): the digest list holds no look-alike entries. `digest new` (overzicht nieuw)
// makes one now, for the asker only; the digest page tells two of the same days apart.
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCommand } from "../../src/domain/command.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { sendDigest } from "../../src/use-cases/send-digest.ts";
import { dm } from "../support/demo-events.ts";
import { startDigestServer } from "../support/digest-server.ts";
import { countWhere } from "../support/fixtures.ts";
import { closeServer } from "../support/listen-app.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestCore, TEST_SECRET } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const MINUTE = 60_000;

describe("the digest on demand", () => {
  let database: TestDatabase;
  let core: ReturnType<typeof createTestCore>;
  let server: Server;
  let base: string;
  const adapter = createRecordingAdapter("web");
  const say = async (personId: string, text: string) => {
    const [reply] = await handleEvent(core.deps, {
      type: "command",
      platform: "web",
      tenantId: DEMO_IDS.organisation,
      platformUserId: personId,
      conversationRef: dm(personId),
      text,
    });
    return JSON.stringify(reply);
  };
  const linkedDigest = (json: string) => /\/digests\/([0-9a-f-]+)\?token=/.exec(json)?.[1];
  const digestMessages = () => adapter.sent.filter((sent) => /Lessenoverzicht/.test(sent.text)).length;

  beforeAll(async () => {
    database = await createTestDatabase();
    core = createTestCore(database, [adapter]);
    // The demo's settings: a one-day digest period, the digest job every few minutes.
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
    ({ server, base } = await startDigestServer(database.db, TEST_SECRET, () => core.clock.now()));
  });

  afterAll(async () => {
    await closeServer(server);
    await core?.close();
    await database?.drop();
  });

  it("reads digest new and overzicht nieuw as asking for a new one", () => {
    expect(parseCommand("digest new")).toEqual({ name: "digest", fresh: true });
    expect(parseCommand("overzicht nieuw")).toEqual({ name: "digest", fresh: true });
    expect(parseCommand("overzicht")).toEqual({ name: "digest" });
  });

  it("a run minutes after the last digest of a one-day period makes none", async () => {
    const first = await sendDigest(core.deps, DEMO_IDS.organisation);
    expect(first).toBeTruthy();
    core.clock.advance(5 * MINUTE);
    expect(await sendDigest(core.deps, DEMO_IDS.organisation)).toBeNull();
    core.clock.advance(5 * MINUTE);
    expect(await sendDigest(core.deps, DEMO_IDS.organisation)).toBeNull();
    expect(await countWhere(database.db, "Digest")).toBe(1);
  });

  it("overzicht shows the current digest every time; overzicht nieuw makes one for the asker alone", async () => {
    const [current] = await core.deps.stores.digests.list(DEMO_IDS.organisation, "advisers");
    expect(linkedDigest(await say(DEMO_IDS.joost, "overzicht"))).toBe(current?.id);
    expect(linkedDigest(await say(DEMO_IDS.joost, "overzicht"))).toBe(current?.id);
    expect(await countWhere(database.db, "Digest")).toBe(1);

    // The scheduled digest's messages are delivered in the background: count once they all came.
    const queued = (
      await database.db.selectFrom("OutboxMessage").select("id").where("key", "like", "digest:%").execute()
    ).length;
    await eventually(() => digestMessages() === queued);
    const sentBefore = digestMessages();
    core.clock.advance(MINUTE);
    const fresh = linkedDigest(await say(DEMO_IDS.joost, "overzicht nieuw"));
    expect(fresh).toBeTruthy();
    expect(fresh).not.toBe(current?.id);
    expect(await countWhere(database.db, "Digest")).toBe(2);
    // Nobody was sent it: it is the asker's reply, and on the digest page for all advisers.
    expect(digestMessages()).toBe(sentBefore);
    // From now on `overzicht` shows the new one.
    expect(linkedDigest(await say(DEMO_IDS.joost, "overzicht"))).toBe(fresh);
  });

  it("the digest list tells digests of the same days apart", async () => {
    // A second new one the same day: two entries of the same days.
    core.clock.advance(MINUTE);
    const reply = await say(DEMO_IDS.joost, "overzicht nieuw");
    const token = /\?token=([\w.-]+)/.exec(reply)?.[1] ?? "";
    const page = await (await fetch(`${base}/digests?token=${token}`)).text();
    const labels = [...page.matchAll(/<li><a [^>]*>([^<]*)<\/a><\/li>/g)].map((match) => match[1]);
    expect(labels).toHaveLength(3);
    expect(new Set(labels).size).toBe(3);
  });
});
