// Live sense-making in Slack, through real Bolt over signed HTTP and the fake Slack Web API:
// `/leerlus retro live 5` by the lead (a member may not) posts the groups with a countdown,
// the project's tick closes the voting at its time on the test clock, and the lead's *Volgende*
// walks the channel message through the top groups with chat.update; a replayed click moves once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSentRef } from "../../adapters/slack/conversation-ref.ts";
import { DEMO_IDS } from "../../src/persistence/demo-seed.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { callProblems } from "../support/block-kit-limits.ts";
import { SENSE_SLACK, type SenseSlackFixture, startSenseSlack } from "../support/sense-slack-fixture.ts";
import { FORM, postSigned } from "../support/slack-requests.ts";
import { eventually } from "../support/test-clock.ts";
import { prompts } from "../support/test-core.ts";

const nl = (key: string, vars?: Record<string, string | number>) => prompts.t("nl", key, vars);
/** The value of the Next button in the blocks of a chat.update, if any. */
const nextIn = (blocks: unknown): string | undefined =>
  /"action_id":"sense\.next".*?"value":"([^"]+)"/.exec(JSON.stringify(blocks))?.[1];

describe("live sense-making in Slack", () => {
  let slack: SenseSlackFixture;

  beforeAll(async () => {
    slack = await startSenseSlack();
    // The fast demo opens a retro every three minutes; this meeting needs longer before the next one.
    await slack.database.prisma.project.update({
      where: { id: DEMO_IDS.pilot },
      data: { cadence: { kind: "minutes", every: 600 } },
    });
  });

  afterAll(async () => {
    await slack?.stop();
  });

  it("/leerlus retro live 5 by the lead posts the groups with a countdown; a member may not", async () => {
    await slack.command("ULOTTE", "retro live");
    expect(await slack.answerTo(slack.state.seq)).toContain(nl("errors.lead-only").slice(0, 30));
    expect((await slack.command("USANNE", "retro live 5")).status).toBe(200);
    expect(await slack.answerTo(slack.state.seq)).toContain(nl("sense.live.started", { count: 5 }).slice(0, 40));
    const row = await eventually(async () => {
      const found = await slack.database.prisma.outboxMessage.findFirst({
        where: { key: `sense:${slack.cycle.id}:slack` },
      });
      return found?.sentRef ? found : undefined;
    });
    slack.state.senseTs = parseSentRef(row.sentRef as string)?.ts ?? "";
    const [stored] = await slack.core.deps.stores.outbox.withKeyPrefixes(DEMO_IDS.organisation, [
      `sense:${slack.cycle.id}:slack`,
    ]);
    expect(JSON.stringify(stored?.message)).toContain("(nog 5 min)");
    expect(callProblems(slack.fake.callsTo("chat.postMessage"))).toEqual([]);
  });

  it("the voting closes at its time; Volgende walks the top groups, once per click", async () => {
    const all = await slack.groups();
    for (const [userId, picks] of [
      ["USANNE", [0, 1]],
      ["UAHMED", [0, 2]],
      ["ULOTTE", [1]],
    ] as const) {
      for (const pick of picks) {
        await slack.post(slack.clickBody(userId, "sense.vote", all[pick]?.id ?? ""));
        await slack.answerTo(slack.state.seq);
      }
    }
    const before = slack.updatesOfSense().length;
    slack.core.clock.advance(5 * 60_000);
    await advanceProject(slack.core.deps, DEMO_IDS.pilot);
    const closed = await eventually(() =>
      slack
        .updatesOfSense()
        .slice(before)
        .find((call) => JSON.stringify(call.args.blocks).includes("sense.next")),
    );
    expect(JSON.stringify(closed.args.blocks)).toContain(nl("sense.live.walk", { index: 1, total: 3 }));
    const value = nextIn(closed.args.blocks) ?? "";
    expect(value).not.toBe("");

    await slack.post(slack.clickBody("ULOTTE", "sense.next", value));
    expect(await slack.answerTo(slack.state.seq)).toContain(nl("errors.lead-only").slice(0, 30));

    const body = slack.clickBody("USANNE", "sense.next", value);
    const n = slack.state.seq;
    await slack.post(body);
    expect(await slack.answerTo(n)).toContain(nl("sense.live.shown", { index: 2, total: 3 }).slice(0, 20));
    const second = await eventually(() =>
      slack
        .updatesOfSense()
        .find((call) => JSON.stringify(call.args.blocks).includes(nl("sense.live.walk", { index: 2, total: 3 }))),
    );
    // Slack delivering the same click again: the walk-through stays at group 2.
    expect(
      (await postSigned(`${slack.base}/slack/events`, body, FORM, { secret: SENSE_SLACK.secret, retryNum: 1 })).status,
    ).toBe(200);
    await slack.post(slack.clickBody("USANNE", "sense.next", value));
    expect(await slack.answerTo(slack.state.seq)).toContain(nl("sense.live.moved-already").slice(0, 20));
    expect((await slack.core.deps.stores.sense.session(slack.cycle.id))?.liveStep).toBe(1);
    expect(nextIn(second.args.blocks)).toBe(`${slack.cycle.id}:1`);
    expect(await slack.database.prisma.actionItem.count({ where: { cycleId: slack.cycle.id } })).toBe(3);
  });
});
