// Making sense together in Teams, through real botbuilder over HTTP and the fake Bot
// Connector: the lead groups the answered retro with @Leerlus, a member may not merge, a
// vote's Action.Execute is answered with the card for the voter alone (with their votes
// left), a replayed click counts once, and when the voting's time is up the card in the
// channel is updated with the ranked totals and the top groups become proposed actions.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { referenceOf } from "../../adapters/teams/activity-to-event.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import type { CycleRecord } from "../../src/ports/retro-store.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { adaptiveCardProblems, cardText, findByType } from "../support/adaptive-card-check.ts";
import { type FakeBotFramework, startFakeBotFramework } from "../support/fake-bot-framework.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { answeredPilotRetro } from "../support/sense-answers.ts";
import {
  APP_ID,
  channelConversation,
  executeActivity,
  installActivity,
  messageActivity,
  postActivity,
  postHandled,
  startTeamsServer,
  type TeamsPerson,
  type TeamsServer,
  teamsConfig,
} from "../support/teams-activities.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestCore, prompts } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const TENANT = "tenant-gemeente-demo";
const nl = (key: string, vars?: Record<string, string | number>) => prompts.t("nl", key, vars);
const person = (id: string, name: string): TeamsPerson => ({ aadObjectId: `aad-${id}`, name, tenantId: TENANT });
const sanne = person("sanne", "Sanne de Vries");
const lotte = person("lotte", "Lotte Jansen");
const ahmed = person("ahmed", "Ahmed El Amrani");

describe("making sense together in Teams", () => {
  const team = channelConversation("pilot");
  let database: TestDatabase;
  let fake: FakeBotFramework;
  let server: TeamsServer;
  let core: ReturnType<typeof createTestCore>;
  let cycle: CycleRecord;
  let senseId: string;
  let senseCard: unknown;

  const token = () => fake.token({ appId: APP_ID });
  const say = (who: TeamsPerson, text: string) =>
    postHandled(database.db, server.url, messageActivity(fake, who, team, `<at>Leerlus</at> ${text}`), token());
  const invoke = async (activity: unknown) => {
    const response = await postActivity(server.url, activity, token());
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const voteActivity = (who: TeamsPerson, card: unknown, groupId: string) => {
    const action = findByType(card, "Action.Execute").find(
      (candidate) => (candidate.data as { leerlus?: { value?: string } }).leerlus?.value === groupId,
    );
    if (!action) throw new Error(`no vote button for ${groupId}`);
    return executeActivity(
      fake,
      who,
      team,
      { verb: "sense.vote", data: action.data as Record<string, unknown> },
      senseId,
    );
  };
  const inChannel = (text: string) =>
    eventually(() =>
      fake.calls.find(
        (call) => call.conversationId === team.id && cardText(call.body.attachments?.[0]?.content).includes(text),
      ),
    );
  const groups = () => core.deps.stores.sense.groups(cycle.id);

  beforeAll(async () => {
    database = await createTestDatabase();
    fake = await startFakeBotFramework();
    server = await startTeamsServer(teamsConfig(fake, database.db));
    core = createTestCore(database, [server.teams.adapter, createRecordingAdapter("web")]);
    await server.teams.adapter.start((event) => handleEvent(core.deps, event));
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
    await database.prisma.install.create({
      data: { organisationId: DEMO_IDS.organisation, platform: "teams", tenantId: TENANT },
    });
    for (const [personId, who] of [
      [DEMO_IDS.sanne, sanne],
      [DEMO_IDS.lotte, lotte],
      [DEMO_IDS.ahmed, ahmed],
    ] as const) {
      await database.prisma.chatIdentity.create({
        data: { personId, platform: "teams", tenantId: TENANT, platformUserId: who.aadObjectId },
      });
    }
    const channelRef = referenceOf(installActivity(fake, sanne, team, "pilot") as never);
    await database.prisma.projectChannel.create({
      data: { projectId: DEMO_IDS.pilot, platform: "teams", conversationRef: channelRef },
    });
    cycle = await answeredPilotRetro(core.deps, core.clock, () =>
      database.prisma.project.update({ where: { id: DEMO_IDS.implementation }, data: { active: false } }),
    );
  });

  afterAll(async () => {
    await server?.teams.adapter.stop();
    await server?.close();
    await core?.close();
    await fake?.close();
    await database?.drop();
  });

  it("@Leerlus retro groeperen by the lead posts a card with the groups and a Vote button each", async () => {
    await say(sanne, "retro groeperen");
    await inChannel(nl("sense.started"));
    const sent = await eventually(() =>
      fake.calls.find(
        (call) =>
          call.conversationId === team.id &&
          (call.kind === "send" || call.kind === "reply") &&
          JSON.stringify(call.body).includes("sense.vote"),
      ),
    );
    senseId = sent.activityId as string;
    senseCard = sent.body.attachments[0].content;
    expect(adaptiveCardProblems(senseCard)).toEqual([]);
    expect(cardText(senseCard)).toContain("Datakwaliteit");
    expect(cardText(senseCard)).not.toContain("Lotte");
  });

  it("a member's merge is refused and changes nothing", async () => {
    const before = await groups();
    await say(ahmed, "samenvoegen 2 1");
    await inChannel(nl("errors.lead-only"));
    expect(await groups()).toHaveLength(before.length);
    expect(fake.calls.some((call) => call.kind === "update" && call.activityId === senseId)).toBe(false);
  });

  it("a vote is answered with the card for the voter alone, with their votes left; a replayed click counts once", async () => {
    const [first] = await groups();
    const click = voteActivity(lotte, senseCard, first?.id ?? "");
    const answered = await invoke(click);
    expect(answered.status).toBe(200);
    expect(answered.body.type).toBe("application/vnd.microsoft.card.adaptive");
    expect(adaptiveCardProblems(answered.body.value)).toEqual([]);
    expect(cardText(answered.body.value)).toContain(nl("sense.voted", { count: 2 }));
    // Teams delivering the same click again.
    expect((await invoke(click)).status).toBe(200);
    // Pressing the same group's button again.
    const again = await invoke(voteActivity(lotte, senseCard, first?.id ?? ""));
    expect(cardText(again.body.value)).toContain(nl("sense.already", { count: 2 }));
    expect((await groups())[0]?.votes).toBe(1);
    // Nothing in the channel shows the vote: no update for everyone, no note posted there.
    expect(fake.calls.some((call) => call.kind === "update" && call.activityId === senseId)).toBe(false);
    expect(fake.calls.some((call) => JSON.stringify(call.body).includes(nl("sense.voted", { count: 2 })))).toBe(false);
  });

  it("when the voting's time is up, the channel's card shows the ranked totals and the top groups become actions", async () => {
    const all = await groups();
    for (const [who, picks] of [
      [sanne, [0, 1]],
      [ahmed, [0, 2]],
      [lotte, [1]],
    ] as const) {
      for (const pick of picks)
        expect((await invoke(voteActivity(who, senseCard, all[pick]?.id ?? ""))).status).toBe(200);
    }
    const session = await core.deps.stores.sense.session(cycle.id);
    core.clock.set(new Date((session?.votingClosesAt.getTime() ?? 0) + 60_000));
    await advanceProject(core.deps, DEMO_IDS.pilot);
    const update = await eventually(() =>
      fake.calls.find((call) => call.kind === "update" && call.activityId === senseId),
    );
    const card = update.body.attachments[0].content;
    expect(adaptiveCardProblems(card)).toEqual([]);
    expect(cardText(card)).toContain(nl("sense.result.voters", { count: 3 }));
    expect(cardText(card)).toContain(nl("sense.result.votes", { count: 3 }));
    expect(findByType(card, "Action.Execute")).toHaveLength(0);
    expect(await database.prisma.actionItem.count({ where: { cycleId: cycle.id } })).toBe(3);
  });
});
