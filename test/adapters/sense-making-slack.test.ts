// Making sense together in Slack, through real Bolt over signed HTTP and the fake Slack Web
// API: the lead groups the answered retro with /leerlus, a member may not merge, the lead's
// merge rewrites the channel message with chat.update, a vote click replayed counts once and
// its "votes left" is ephemeral, and closing the voting shows the ranked totals and proposes
// the top groups as team actions.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSentRef } from "../../adapters/slack/conversation-ref.ts";
import { themeLabel } from "../../src/use-cases/messages/sense-message.ts";
import { callProblems } from "../support/block-kit-limits.ts";
import { SENSE_SLACK, type SenseSlackFixture, startSenseSlack } from "../support/sense-slack-fixture.ts";
import { FORM, postSigned } from "../support/slack-requests.ts";
import { eventually } from "../support/test-clock.ts";
import { prompts } from "../support/test-core.ts";

const nl = (key: string, vars?: Record<string, string | number>) => prompts.t("nl", key, vars);

describe("making sense together in Slack", () => {
  let slack: SenseSlackFixture;

  beforeAll(async () => {
    slack = await startSenseSlack();
  });

  afterAll(async () => {
    await slack?.stop();
  });

  it("/leerlus retro groeperen by the lead posts the groups to the channel, each with a Vote button", async () => {
    expect((await slack.command("USANNE", "retro groeperen")).status).toBe(200);
    expect(await slack.answerTo(slack.state.seq)).toContain(nl("sense.started").slice(0, 40));
    const row = await eventually(async () => {
      const found = await slack.database.prisma.outboxMessage.findFirst({
        where: { key: `sense:${slack.cycle.id}:slack` },
      });
      return found?.sentRef ? found : undefined;
    });
    slack.state.senseTs = parseSentRef(row.sentRef as string)?.ts ?? "";
    const posted = slack.fake
      .callsTo("chat.postMessage")
      .find((call) => JSON.stringify(call.args).includes("sense.vote"));
    const text = JSON.stringify(posted?.args.blocks);
    expect(text).toContain("Gebruikers en inwoners betrekken");
    expect(text).not.toContain("Lotte");
    expect(callProblems(slack.fake.callsTo("chat.postMessage"))).toEqual([]);
  });

  it("a member's merge is refused and changes nothing; the lead's merge rewrites the message in place", async () => {
    const before = await slack.groups();
    await slack.command("UAHMED", "samenvoegen 2 1");
    expect(await slack.answerTo(slack.state.seq)).toContain(nl("errors.lead-only").slice(0, 30));
    expect(await slack.groups()).toHaveLength(before.length);
    expect(slack.updatesOfSense()).toHaveLength(0);

    await slack.command("USANNE", "samenvoegen 2 1");
    expect(await slack.answerTo(slack.state.seq)).toContain(nl("sense.merged", { from: 2, into: 1 }).slice(0, 30));
    const update = await eventually(() => slack.updatesOfSense()[0]);
    expect(JSON.stringify(update.args.blocks)).not.toContain(`"value":"${before[1]?.id}"`);
    expect(await slack.groups()).toHaveLength(before.length - 1);
  });

  it("a vote click replayed counts once; the voter alone hears how many votes are left", async () => {
    const [first] = await slack.groups();
    const body = slack.clickBody("ULOTTE", "sense.vote", first?.id ?? "");
    const n = slack.state.seq;
    expect((await slack.post(body)).status).toBe(200);
    expect(await slack.answerTo(n)).toContain(nl("sense.voted", { count: 2 }).slice(0, 40));
    // Slack delivering the same click again.
    expect(
      (await postSigned(`${slack.base}/slack/events`, body, FORM, { secret: SENSE_SLACK.secret, retryNum: 1 })).status,
    ).toBe(200);
    // A second, separate click on the same group.
    await slack.post(slack.clickBody("ULOTTE", "sense.vote", first?.id ?? ""));
    expect(await slack.answerTo(slack.state.seq)).toContain(nl("sense.already", { count: 2 }).slice(0, 40));
    expect((await slack.groups())[0]?.votes).toBe(1);
    // The vote is nobody else's business: the channel message is not touched by it.
    expect(JSON.stringify(slack.updatesOfSense().at(-1)?.args.blocks)).not.toContain("— 1");
  });

  it("closing the voting shows the ranked totals and proposes the top groups as team actions", async () => {
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
    await slack.command("USANNE", "stemming sluiten");
    expect(await slack.answerTo(slack.state.seq)).toContain(nl("sense.closed-now").slice(0, 30));
    const update = await eventually(() => slack.updatesOfSense()[before]);
    const text = JSON.stringify(update.args.blocks);
    expect(text).toContain(nl("sense.result.voters", { count: 3 }).slice(0, 20));
    expect(text).toContain(nl("sense.result.votes", { count: 3 }));
    expect(text).not.toContain("sense.vote");
    const actions = await slack.database.prisma.actionItem.findMany({ where: { cycleId: slack.cycle.id } });
    expect(actions).toHaveLength(3);
    // Each proposal reads as its group's theme and the answer that stands for it best.
    const [top] = all;
    expect(
      actions.some((action) => action.text.startsWith(`${themeLabel(prompts, "nl", top?.themeId ?? null)}: `)),
    ).toBe(true);
  });
});
