// A retro nobody answered closes with one line in the team channel, not a summary of empty
// sections (questions without answers, no lessons, no actions), on every platform's renderer.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderMessage } from "../../adapters/slack/render-blocks.ts";
import { renderCards } from "../../adapters/teams/render-card.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestCore, prompts } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const MINUTE = 60_000;
const pilotChannel = `web:channel:${DEMO_IDS.pilot}`;

describe("a retro with no answers", () => {
  let database: TestDatabase;
  let core: ReturnType<typeof createTestCore>;
  const adapter = createRecordingAdapter("web");

  beforeAll(async () => {
    database = await createTestDatabase();
    core = createTestCore(database, [adapter]);
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
  });

  afterAll(async () => {
    await core?.close();
    await database?.drop();
  });

  it("posts one line in the channel when it closes", async () => {
    await advanceProject(core.deps, DEMO_IDS.pilot);
    const cycle = await core.deps.stores.retro.latestCycle(DEMO_IDS.pilot);
    expect(cycle?.status).toBe("open");
    // Past the reminder and the close, with nobody answering.
    for (let step = 0; step < 4; step++) {
      core.clock.advance(MINUTE);
      await advanceProject(core.deps, DEMO_IDS.pilot);
    }
    const closed = await eventually(() =>
      adapter.sent.find((sent) => sent.conversationRef === pilotChannel && /gesloten/.test(sent.text)),
    );
    expect(closed.message.blocks).toHaveLength(1);
    expect(closed.message.fallback).toMatch(
      /^Retro 1 van .*Slimme straatreiniging.* is gesloten: niemand heeft geantwoord\.$/,
    );
    expect(
      adapter.sent.filter((sent) => sent.conversationRef === pilotChannel && /Samenvatting/.test(sent.text)),
    ).toEqual([]);
    // Slack: one section; Teams: one text block.
    expect(renderMessage(closed.message, { answer: "", truncated: "", continued: "", close: "" }).blocks).toHaveLength(
      1,
    );
    const [card] = renderCards(closed.message, (key, vars) => prompts.t("nl", key, vars));
    expect(card?.body).toHaveLength(1);
  });
});
