import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SlackAdapter } from "../../adapters/slack/create-slack-adapter.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { answersOf } from "../support/demo-answers.ts";
import { type FakeSlackApi, type SlackCall, startFakeSlackApi } from "../support/fake-slack-api.ts";
import { closeServer, listenApp } from "../support/listen-app.ts";
import { eventBody, FORM, interactiveBody, JSON_TYPE, postSigned } from "../support/slack-requests.ts";
import { createTestSlackAdapter } from "../support/slack-test-adapter.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestCore } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const SECRET = "slack-signing-secret-for-tests";
const TEAM = "T0LEERLUS";
const SANNE = "USANNE";
const DM = "DSANNE";

type Block = { type: string; block_id?: string; element?: Record<string, unknown>; elements?: unknown[] };
type ButtonElement = { type: string; action_id: string; value: string };

// Issue #22 in Slack: real Bolt over real HTTP against the local fake Web API. The modal opens
// with the person's answers; text typed in the DM is an answer, once, however often Slack retries.
describe("answers in Slack: prefilled modal and typed answers", () => {
  let database: TestDatabase;
  let fake: FakeSlackApi;
  let slack: SlackAdapter;
  let core: ReturnType<typeof createTestCore>;
  let server: Server;
  let base: string;
  let cycleId: string;
  let seq = 0;

  const post = (body: string, type: string, retryNum?: number) =>
    postSigned(`${base}/slack/events`, body, type, { secret: SECRET, ...(retryNum ? { retryNum } : {}) });
  const dm = (text: string, eventId: string, retryNum?: number) =>
    post(
      eventBody({
        teamId: TEAM,
        eventId,
        event: {
          type: "message",
          channel_type: "im",
          channel: DM,
          user: SANNE,
          text,
          ts: `17000001${eventId.length}.0001`,
        },
      }),
      JSON_TYPE,
      retryNum,
    );
  const press = (actionId: string, value: string, ts = "1700000200.000100") =>
    post(
      interactiveBody({
        type: "block_actions",
        team: { id: TEAM },
        user: { id: SANNE, team_id: TEAM },
        api_app_id: "ALEERLUS",
        trigger_id: `trigger-${++seq}`,
        response_url: fake.responseUrl(`press-${seq}`),
        container: { type: "message", message_ts: ts, channel_id: DM, is_ephemeral: false },
        channel: { id: DM },
        message: { ts, type: "message", text: "Leerlus" },
        actions: [{ type: "button", action_id: actionId, block_id: "b1", value, action_ts: "1" }],
      }),
      FORM,
    );
  const stored = () => answersOf(database.db, core.deps.secret, cycleId, DEMO_IDS.sanne);
  const dmsWith = (text: string) =>
    fake.callsTo("chat.postMessage").filter((call) => JSON.stringify(call.args.blocks ?? "").includes(text));
  const buttonIn = (call: SlackCall, actionId: string): ButtonElement => {
    const blocks = call.args.blocks as Block[];
    const found = blocks
      .flatMap((block) => (block.elements ?? []) as ButtonElement[])
      .find((element) => element.action_id?.startsWith(actionId));
    if (!found) throw new Error(`no ${actionId} button in ${JSON.stringify(blocks)}`);
    return found;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    fake = await startFakeSlackApi({ id: TEAM, name: "Gemeente Demo" });
    fake.users.set(SANNE, { id: SANNE, name: "Sanne de Vries", locale: "nl-NL" });
    slack = createTestSlackAdapter(fake, database.db, {
      signingSecret: SECRET,
      botIdentity: { botId: "BLEERLUS", botUserId: "UBOTLEERLUS" },
    });
    core = createTestCore(database, [slack.adapter]);
    await slack.adapter.start((inbound) => handleEvent(core.deps, inbound));
    ({ server, base } = await listenApp({ rawRouters: [slack.router] }));
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
    await database.db.install.create({
      data: { organisationId: DEMO_IDS.organisation, platform: "slack", tenantId: TEAM },
    });
    await database.db.chatIdentity.create({
      data: {
        personId: DEMO_IDS.sanne,
        platform: "slack",
        tenantId: TEAM,
        platformUserId: SANNE,
        conversationRef: `slack:${TEAM}:${SANNE}:${SANNE}`,
      },
    });
    await advanceProject(core.deps, DEMO_IDS.pilot);
    cycleId = (await database.db.retroCycle.findFirstOrThrow({ where: { projectId: DEMO_IDS.pilot, status: "open" } }))
      .id;
    await eventually(() => fake.callsTo("chat.postMessage").some((call) => call.args.channel === SANNE));
  });

  afterAll(async () => {
    await slack?.adapter.stop();
    await closeServer(server);
    await core?.close();
    await fake?.close();
    await database?.drop();
  });

  it("text typed in the DM is the answer to the first open question, confirmed with Undo; a retry stores it once", async () => {
    expect((await dm("Bewoners &amp; wijkteams doen mee &lt;3", "EvTyped1")).status).toBe(200);
    await eventually(async () => (await stored()).practice);
    expect(await stored()).toEqual({ practice: "Bewoners & wijkteams doen mee <3" });
    const confirmation = await eventually(() => dmsWith("Bewaard als je antwoord op")[0]);
    expect(confirmation.args.channel).toBe(DM);
    expect(buttonIn(confirmation, "retro.undo").value).toBeTruthy();

    // Slack retries the same event: acknowledged, handled once.
    expect((await dm("Bewoners &amp; wijkteams doen mee &lt;3", "EvTyped1", 1)).status).toBe(200);
    expect((await dm("Bewoners &amp; wijkteams doen mee &lt;3", "EvTyped1", 2)).status).toBe(200);
    await eventually(async () => (await database.db.receivedEvent.count({ where: { status: "pending" } })) === 0);
    expect(await stored()).toEqual({ practice: "Bewoners & wijkteams doen mee <3" });
    expect(dmsWith("Bewaard als je antwoord op")).toHaveLength(1);
    expect(await database.db.formInstance.count({ where: { kind: "typed" } })).toBe(1);
  });

  it("Undo puts the answer back as it was, in place of the confirmation", async () => {
    await dm("Meldingen +40%.", "EvTyped2");
    await eventually(async () => (await stored()).evidence === "Meldingen +40%.");
    const confirmation = await eventually(() => dmsWith("Waaruit blijkt")[0]);
    const undo = buttonIn(confirmation, "retro.undo");
    expect((await press("retro.undo", undo.value)).status).toBe(200);
    await eventually(async () => (await stored()).evidence === undefined);
    const replaced = await eventually(() =>
      fake.callsTo("respond").find((call) => JSON.stringify(call.args).includes("Ongedaan gemaakt")),
    );
    expect(replaced.args.replace_original).toBe(true);
  });

  it("Answer opens the modal with the person's answers as initial values", async () => {
    expect((await press("retro.open", cycleId)).status).toBe(200);
    const opened = await eventually(() => fake.callsTo("views.open").at(-1));
    const view = opened.args.view as { blocks: Block[]; private_metadata: string };
    const practice = view.blocks.find((block) => block.block_id === "practice");
    expect(practice?.element?.initial_value).toBe("Bewoners & wijkteams doen mee <3");
    const evidence = view.blocks.find((block) => block.block_id === "evidence");
    expect(evidence?.element?.initial_value).toBeUndefined();
    // The form instance travels in the modal's metadata, so a submit knows what it showed.
    expect(JSON.parse(view.private_metadata).value).toMatch(new RegExp(`^${cycleId}#`));
  });

  it("a modal sent with one field changed and one emptied changes just those, and says so", async () => {
    await dm("Meldingen +40%.", "EvTyped3");
    await dm("Eigenaar bij Stadsbeheer.", "EvTyped4");
    await eventually(async () => (await stored())["after-pilot"] === "Eigenaar bij Stadsbeheer.");
    await press("retro.open", cycleId);
    const opened = await eventually(() => {
      const last = fake.callsTo("views.open").at(-1)?.args.view as { blocks: Block[] } | undefined;
      const afterPilot = last?.blocks.find((block) => block.block_id === "after-pilot");
      return afterPilot?.element?.initial_value ? fake.callsTo("views.open").at(-1) : undefined;
    });
    const view = opened.args.view as { blocks: Block[]; private_metadata: string };
    // As Slack sends the state: every input, the untouched ones with their initial values.
    const state = (changes: Record<string, string>) => {
      const values: Record<string, Record<string, unknown>> = Object.fromEntries(
        view.blocks
          .filter((block) => block.type === "input" && block.block_id && block.element?.type === "plain_text_input")
          .map((block) => {
            const key = block.block_id as string;
            const value = changes[key] ?? (block.element?.initial_value as string | undefined) ?? "";
            return [key, { [key]: { type: "plain_text_input", value } }];
          }),
      );
      values["learning-score"] = { "learning-score": { type: "radio_buttons", selected_option: { value: "4" } } };
      return values;
    };
    const submit = (id: string, values: Record<string, Record<string, unknown>>) =>
      post(
        interactiveBody({
          type: "view_submission",
          team: { id: TEAM },
          user: { id: SANNE, team_id: TEAM },
          api_app_id: "ALEERLUS",
          view: {
            id,
            type: "modal",
            callback_id: "leerlus.form",
            private_metadata: view.private_metadata,
            blocks: view.blocks,
            state: { values },
          },
        }),
        FORM,
      );
    // after-pilot is required: emptying it is refused next to the field, and nothing changes.
    const refused = await submit("V1", state({ "after-pilot": "" }));
    expect(refused.status).toBe(200);
    expect(JSON.parse(refused.text).errors["after-pilot"]).toMatch(/Vul "Wat doen we nu al/);
    expect((await stored())["after-pilot"]).toBe("Eigenaar bij Stadsbeheer.");

    expect((await submit("V2", state({ practice: "Bewoners doen mee.", evidence: "" }))).status).toBe(200);
    await eventually(async () => (await stored()).practice === "Bewoners doen mee.");
    expect(await stored()).toEqual({
      practice: "Bewoners doen mee.",
      "after-pilot": "Eigenaar bij Stadsbeheer.",
      "learning-score": "4",
    });
    const update = await eventually(() =>
      fake.callsTo("chat.update").find((call) => String(call.args.text).startsWith("Bijgewerkt: ")),
    );
    expect(String(update.args.text)).toMatch(/"Wat heeft de pilot ons in de praktijk geleerd/);
    expect(String(update.args.text)).toMatch(/Gewist: "Waaruit blijkt nu dat het publieke waarde oplevert\?"/);
  });
});
