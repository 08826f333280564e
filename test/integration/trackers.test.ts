// Actions where teams track work: Jira and Azure DevOps Boards, through the real HTTP clients,
// against local stand-ins speaking their REST APIs, on PostgreSQL and the BullMQ workers.
import { Writable } from "node:stream";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import { type FormInput, type Message, plain } from "../../src/domain/message.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import { createTokenCipher, deriveKeyBase64 } from "../../src/persistence/token-cipher.ts";
import { createLogger } from "../../src/runtime/logger.ts";
import { reconcile } from "../../src/scheduler/reconciler.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { TRACKER_SUBMIT } from "../../src/use-cases/trackers/configure-tracker.ts";
import { SEND_ACTION } from "../../src/use-cases/trackers/send-action.ts";
import { type FakeAzureDevOps, startFakeAzureDevOps } from "../support/fake-azure-devops.ts";
import { type FakeJira, startFakeJira } from "../support/fake-jira.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestCore, TEST_SECRET } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const base = (personId: string) => ({
  platform: "web" as const,
  tenantId: DEMO_IDS.organisation,
  platformUserId: personId,
  conversationRef: `web:dm:${personId}`,
});

/** What a person reads, and the buttons' action ids. */
const text = (messages: Message[]) =>
  messages
    .flatMap((m) => [
      m.fallback,
      ...m.blocks.map((b) =>
        b.type === "list"
          ? b.items.map(plain).join("\n")
          : b.type === "actions"
            ? b.buttons.map((x) => x.actionId).join(" ")
            : "text" in b
              ? plain(b.text)
              : "",
      ),
    ])
    .join("\n");

describe("actions where teams track work", () => {
  let database: TestDatabase;
  let core: ReturnType<typeof createTestCore>;
  let jira: FakeJira;
  let azure: FakeAzureDevOps;
  const adapter = createRecordingAdapter("web");
  const logs: string[] = [];

  const say = (personId: string, command: string) =>
    handleEvent(core.deps, { type: "command", ...base(personId), text: command } satisfies InboundEvent);
  const submit = (personId: string, projectId: string, answers: Record<string, string>) =>
    handleEvent(core.deps, {
      type: "formSubmitted",
      ...base(personId),
      actionId: TRACKER_SUBMIT,
      value: projectId,
      answers,
    } satisfies InboundEvent);
  const press = (personId: string, actionId: string) =>
    handleEvent(core.deps, { type: "action", ...base(personId), actionId: SEND_ACTION, value: actionId });
  const newAction = async (projectId: string, words: string) =>
    (await database.prisma.actionItem.create({ data: { projectId, text: words } })).id;
  const exportOf = (actionId: string) => database.prisma.trackerExport.findUnique({ where: { actionId } });

  beforeAll(async () => {
    database = await createTestDatabase();
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk));
        done();
      },
    });
    core = createTestCore(database, [adapter], undefined, createLogger("trace", sink));
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
    [jira, azure] = await Promise.all([startFakeJira(), startFakeAzureDevOps()]);
  });

  afterAll(async () => {
    await core?.close();
    await Promise.all([jira?.close(), azure?.close()]);
    await database?.drop();
  });

  it("the lead connects Jira Cloud in a form: the token is checked with Jira and stored only encrypted", async () => {
    const [form] = await say(DEMO_IDS.sanne, `koppeling jira ${jira.base} ll`);
    const block = form?.blocks.find((b) => b.type === "form");
    expect(block?.type).toBe("form");
    const inputs = block?.type === "form" ? block.inputs : [];
    const field = (key: string) => inputs.find((input) => input.key === key) as FormInput & { value?: string };
    expect(field("url").value).toBe(jira.base);
    expect(field("project").value).toBe("ll");
    expect(field("token")).toMatchObject({ kind: "text", secret: true, required: true });
    expect(field("token").value).toBeUndefined();

    const answers = {
      kind: "jira",
      url: jira.base,
      project: "ll",
      email: jira.cloud.email,
      token: "not-the-token",
      auto: "no",
    };
    const [refused] = await submit(DEMO_IDS.sanne, DEMO_IDS.pilot, answers);
    expect(refused?.fieldErrors?.token).toMatch(/Jira accepteert dit token niet/);
    expect(await database.prisma.projectTracker.count()).toBe(0);

    const [done] = await submit(DEMO_IDS.sanne, DEMO_IDS.pilot, { ...answers, token: jira.cloud.apiToken });
    expect(done?.fallback).toBe(
      "Gekoppeld aan project LL in Jira. Onder acties zet de trekker elke actie er met één druk op de knop naartoe.",
    );
    expect(done?.replacesSource).toBe(true);
    const checked = jira.callsTo("GET", /^\/rest\/api\/3\/project\/LL$/).at(-1);
    const basic = Buffer.from(`${jira.cloud.email}:${jira.cloud.apiToken}`).toString("base64");
    expect(checked?.authorization).toBe(`Basic ${basic}`);

    const stored = await database.prisma.projectTracker.findUniqueOrThrow({ where: { projectId: DEMO_IDS.pilot } });
    expect(stored).toMatchObject({ kind: "jira", baseUrl: jira.base, trackerProject: "LL", autoSend: false });
    expect(stored.credentials).toMatch(/^v1:/);
    const cipher = createTokenCipher(deriveKeyBase64(TEST_SECRET, "tracker-tokens"));
    expect(JSON.parse(cipher.decrypt(stored.credentials))).toEqual({
      token: jira.cloud.apiToken,
      email: jira.cloud.email,
    });
    // Nowhere in the database in plain text: not in the tracker row, the outbox, events or web messages.
    const { rows: tables } = await sql<{ name: string }>`
      SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = 'public'`.execute(
      database.db,
    );
    for (const { name } of tables) {
      const { rows } = await sql<{ row: string }>`SELECT t::text AS row FROM ${sql.table(name)} t`.execute(database.db);
      expect(
        rows.filter((r) => r.row.includes(jira.cloud.apiToken)),
        name,
      ).toEqual([]);
    }
    expect((await say(DEMO_IDS.sanne, "koppeling")).at(0)?.fallback).toContain(
      "Acties van Slimme straatreiniging gaan naar Jira",
    );
  });

  it("a member cannot connect a tracker, nor pass the form off as the lead", async () => {
    expect(text(await say(DEMO_IDS.lotte, `koppeling jira ${jira.base} LL`))).toContain("Alleen de trekker");
    const [refused] = await submit(DEMO_IDS.lotte, DEMO_IDS.pilot, {
      kind: "jira",
      url: jira.base,
      project: "LL",
      email: jira.cloud.email,
      token: jira.cloud.apiToken,
      auto: "yes",
    });
    expect(refused?.fallback).toContain("Alleen de trekker");
    expect(
      (await database.prisma.projectTracker.findUniqueOrThrow({ where: { projectId: DEMO_IDS.pilot } })).autoSend,
    ).toBe(false);
  });

  it("an action goes to Jira with the button, once however often it is pressed, and its link shows in actions", async () => {
    const actionId = await newAction(DEMO_IDS.pilot, "Bewoners uitnodigen voor de demo van de veegroutes");
    const list = await say(DEMO_IDS.sanne, "acties");
    const buttons = list[0]?.blocks.flatMap((b) => (b.type === "actions" ? b.buttons : []));
    expect(buttons).toEqual([{ actionId: SEND_ACTION, label: "Actie 1 naar Jira", value: actionId }]);

    const [sent] = await press(DEMO_IDS.sanne, actionId);
    expect(sent?.fallback).toBe(`Doorgezet naar Jira: LL-1 (${jira.base}/browse/LL-1)`);
    expect(sent?.blocks).toEqual([
      { type: "paragraph", text: ["Doorgezet naar Jira: ", { user: "LL-1", href: `${jira.base}/browse/LL-1` }] },
    ]);
    expect(jira.issues).toHaveLength(1);
    const issue = jira.issues[0];
    expect(issue).toMatchObject({
      key: "LL-1",
      api: "3",
      summary: "Bewoners uitnodigen voor de demo van de veegroutes",
    });
    expect(issue?.labels).toEqual(["leerlus", `leerlus-${actionId}`]);
    expect(JSON.stringify(issue?.description)).toContain("Doorgezet door Leerlus.");
    expect(await exportOf(actionId)).toMatchObject({
      status: "sent",
      tracker: "jira",
      externalKey: "LL-1",
      url: `${jira.base}/browse/LL-1`,
    });

    const [again] = await press(DEMO_IDS.sanne, actionId);
    expect(again?.fallback).toBe(`Staat al in Jira: LL-1 (${jira.base}/browse/LL-1)`);
    const twice = await newAction(DEMO_IDS.pilot, "Routekaart delen met de wijkteams");
    await Promise.all([press(DEMO_IDS.sanne, twice), press(DEMO_IDS.sanne, twice), press(DEMO_IDS.sanne, twice)]);
    await eventually(async () => (await exportOf(twice))?.status === "sent");
    expect(jira.issues.filter((i) => i.labels.includes(`leerlus-${twice}`))).toHaveLength(1);
    expect(jira.callsTo("POST", /\/issue$/)).toHaveLength(2);

    const listed = text(await say(DEMO_IDS.lotte, "acties"));
    expect(listed).toContain(`Jira LL-1 (${jira.base}/browse/LL-1)`);
    // Only leads (and admins) get the buttons; a member sees the links.
    expect(listed).not.toContain(SEND_ACTION);
  });

  it("Azure DevOps: a 503 is retried after Retry-After and makes exactly one work item, also when the item was made before the answer was lost", async () => {
    const [done] = await submit(DEMO_IDS.mark, DEMO_IDS.implementation, {
      kind: "azure-devops",
      url: `${azure.organisationUrl}/`,
      project: "Slim Schoon",
      email: "",
      token: azure.pat,
      auto: "no",
    });
    expect(done?.fallback).toContain("Gekoppeld aan project Slim Schoon in Azure DevOps");
    const checked = azure.callsTo("GET", /\/_apis\/projects\/Slim Schoon$/).at(-1);
    expect(checked?.query.get("api-version")).toBe("7.1");
    expect(checked?.authorization).toBe(`Basic ${Buffer.from(`:${azure.pat}`).toString("base64")}`);

    // The service makes the work item, then the answer is lost: the retry finds it by its tag.
    const lost = await newAction(DEMO_IDS.implementation, "Dashboard tonen aan de raadscommissie");
    azure.failNext(/^POST .*\/workitems\/\$Task$/, { status: 503, retryAfter: "1", afterHandling: true });
    const [later] = await press(DEMO_IDS.mark, lost);
    expect(later?.fallback).toBe(
      "Azure DevOps reageert nu niet. Leerlus blijft het proberen; de link verschijnt onder acties zodra de taak er staat.",
    );
    await eventually(async () => (await exportOf(lost))?.status === "sent");
    const item = azure.workItems.find((w) => String(w.fields["System.Tags"]).includes(`leerlus-${lost}`));
    expect(azure.workItems.filter((w) => w === item)).toHaveLength(1);
    expect(azure.workItems).toHaveLength(1);
    expect(azure.callsTo("POST", /\/_apis\/wit\/wiql$/)).toHaveLength(1);
    expect(await exportOf(lost)).toMatchObject({
      status: "sent",
      attempts: 2,
      externalKey: String(item?.id),
      url: `${azure.organisationUrl}/Slim%20Schoon/_workitems/edit/${item?.id}`,
    });

    // Refused before anything was made: the retry makes it, once.
    const refused = await newAction(DEMO_IDS.implementation, "Bronnen van de woningbouwcijfers vastleggen");
    azure.failNext(/^POST .*\/workitems\/\$Task$/, { status: 503, retryAfter: "1" });
    await press(DEMO_IDS.mark, refused);
    await eventually(async () => (await exportOf(refused))?.status === "sent");
    const creates = azure.callsTo("POST", /\/workitems\/\$Task$/);
    expect(azure.workItems).toHaveLength(2);
    expect(creates).toHaveLength(3);
    const patch = creates.at(-1);
    expect(patch?.contentType).toBe("application/json-patch+json");
    expect(patch?.query.get("api-version")).toBe("7.1");
    expect(patch?.body).toEqual([
      { op: "add", path: "/fields/System.Title", value: "Bronnen van de woningbouwcijfers vastleggen" },
      {
        op: "add",
        path: "/fields/System.Description",
        value: expect.stringContaining("<p>Doorgezet door Leerlus.</p>"),
      },
      { op: "add", path: "/fields/System.Tags", value: `leerlus; leerlus-${refused}` },
    ]);
  });

  it("a refused token gets a friendly answer in the person's language, and the action can be sent again later", async () => {
    const actionId = await newAction(DEMO_IDS.pilot, "Meldingen van bewoners koppelen aan de routes");
    const good = jira.cloud.apiToken;
    jira.cloud.apiToken = "revoked";
    const [dutch] = await press(DEMO_IDS.sanne, actionId);
    expect(dutch?.fallback).toBe(
      "Jira accepteert het token voor Slimme straatreiniging niet meer, dus de actie is niet doorgezet. De trekker vult met koppeling een nieuw token in en zet de actie daarna opnieuw door onder acties.",
    );
    expect(await exportOf(actionId)).toMatchObject({ status: "failed", errorCode: "unauthorized" });
    await say(DEMO_IDS.sanne, "instellingen taal en");
    const [english] = await press(DEMO_IDS.sanne, actionId);
    expect(english?.fallback).toBe(
      "Jira no longer accepts the token for Slimme straatreiniging, so the action was not sent. The lead enters a new one with tracker, then sends it again under actions.",
    );
    jira.cloud.apiToken = good;
    const [sent] = await press(DEMO_IDS.sanne, actionId);
    expect(sent?.fallback).toMatch(/^Sent to Jira: LL-\d+/);
    await say(DEMO_IDS.sanne, "settings language nl");
  });

  it("sent on agreement: when a retro closes, its actions go to Jira and show with their link in the next retro's review", async () => {
    expect((await say(DEMO_IDS.sanne, "koppeling automatisch aan")).at(0)?.fallback).toBe(
      "Afgesproken acties gaan vanaf nu meteen naar Jira.",
    );
    const before = jira.issues.length;
    await say(DEMO_IDS.sanne, "retro nu");
    const cycle = await database.prisma.retroCycle.findFirstOrThrow({
      where: { projectId: DEMO_IDS.pilot },
      orderBy: { sequence: "desc" },
    });
    const questions = (cycle.questions as { nl: { key: string; kind: string; yields: string }[] }).nl;
    for (const personId of [DEMO_IDS.sanne, DEMO_IDS.ahmed, DEMO_IDS.lotte, DEMO_IDS.emma]) {
      const answers = Object.fromEntries(
        questions.map((q) => [
          q.key,
          q.kind === "scale"
            ? "4"
            : q.yields === "action"
              ? `Actie ${personId.slice(-3)}: bewoners uitnodigen`
              : "Het ging goed",
        ]),
      );
      await handleEvent(core.deps, {
        type: "formSubmitted",
        ...base(personId),
        actionId: "retro.answer",
        value: cycle.id,
        answers,
      });
    }
    // Everyone answered, so the retro closed and the team's voting began; the lead ends it.
    await eventually(() => core.deps.stores.sense.session(cycle.id));
    expect(text(await say(DEMO_IDS.sanne, "stemming sluiten"))).toContain("De stemming is gesloten");
    const agreed = await eventually(async () => {
      const actions = await database.prisma.actionItem.findMany({
        where: { cycleId: cycle.id },
        include: { trackerExport: true },
      });
      return actions.length > 0 && actions.every((a) => a.trackerExport?.status === "sent") && actions;
    });
    expect(jira.issues.length - before).toBe(agreed.length);
    const listed = text(await say(DEMO_IDS.lotte, "acties"));
    for (const action of agreed)
      expect(listed).toContain(`Jira ${action.trackerExport?.externalKey} (${action.trackerExport?.url})`);

    core.clock.advance(10 * 60_000);
    const earlier = adapter.sent.length;
    await say(DEMO_IDS.sanne, "retro nu");
    const review = await eventually(() =>
      adapter.sent
        .slice(earlier)
        .find(
          (s) =>
            s.conversationRef === `web:channel:${DEMO_IDS.pilot}` &&
            s.message.blocks.some((b) => b.type === "actions" && b.buttons.some((x) => x.actionId === "action.done")),
        ),
    );
    for (const action of agreed) expect(review.text).toContain(`${action.trackerExport?.url}`);
  });

  it("a send on agreement that Jira refuses tells the lead once, in a direct message", async () => {
    jira.projects.delete("LL");
    const first = await newAction(DEMO_IDS.pilot, "Eerste actie die niet doorkomt");
    const second = await newAction(DEMO_IDS.pilot, "Tweede actie die niet doorkomt");
    await core.deps.stores.trackers.request(first, DEMO_IDS.pilot, core.clock.now());
    await core.deps.stores.trackers.request(second, DEMO_IDS.pilot, core.clock.now());
    await core.deps.dispatcher.exportActions([{ actionId: first }, { actionId: second }]);
    await eventually(
      async () => (await exportOf(first))?.status === "failed" && (await exportOf(second))?.status === "failed",
    );
    const told = await eventually(() => {
      const dms = adapter.sent.filter(
        (s) => s.conversationRef === `web:dm:${DEMO_IDS.sanne}` && s.text.includes("kan het project niet vinden"),
      );
      return dms.length > 0 && dms;
    });
    expect(told).toHaveLength(1);
    expect(told[0]?.text).toContain("Jira kan het project niet vinden dat voor Slimme straatreiniging is ingesteld.");
    jira.projects.add("LL");
  });

  it("Jira Data Center: a personal access token as bearer, the v2 API and a plain description", async () => {
    const [done] = await submit(DEMO_IDS.sanne, DEMO_IDS.pilot, {
      kind: "jira",
      url: jira.base,
      project: "LL",
      email: "",
      token: jira.dataCenter.pat,
      auto: "no",
    });
    expect(done?.fallback).toContain("Gekoppeld aan project LL in Jira");
    expect(jira.callsTo("GET", /^\/rest\/api\/2\/project\/LL$/).at(-1)?.authorization).toBe(
      `Bearer ${jira.dataCenter.pat}`,
    );
    const actionId = await newAction(DEMO_IDS.pilot, "Afspraken met de aannemer vastleggen");
    const [sent] = await press(DEMO_IDS.sanne, actionId);
    expect(sent?.fallback).toMatch(/^Doorgezet naar Jira: LL-\d+/);
    const issue = jira.issues.find((i) => i.labels.includes(`leerlus-${actionId}`));
    expect(issue?.api).toBe("2");
    expect(typeof issue?.description).toBe("string");
  });

  it("typed in a Teams channel, the form goes to the lead's private chat, not to the channel", async () => {
    await database.prisma.install.create({
      data: { organisationId: DEMO_IDS.organisation, platform: "teams", tenantId: "tenant-1" },
    });
    await database.prisma.chatIdentity.create({
      data: {
        personId: DEMO_IDS.sanne,
        platform: "teams",
        tenantId: "tenant-1",
        platformUserId: "29:sanne",
        conversationRef: "teams-dm-sanne",
      },
    });
    await database.prisma.projectChannel.create({
      data: { projectId: DEMO_IDS.pilot, platform: "teams", conversationRef: "teams-channel-pilot" },
    });
    const [answer] = await handleEvent(core.deps, {
      type: "command",
      platform: "teams",
      tenantId: "tenant-1",
      platformUserId: "29:sanne",
      conversationRef: "teams-channel-pilot",
      text: `koppeling jira ${jira.base} LL`,
    });
    expect(answer?.fallback).toBe(
      "Ik heb je een formulier gestuurd in ons privébericht: het token hoort daar, niet in het kanaal.",
    );
    expect(answer?.blocks.some((block) => block.type === "form")).toBe(false);
    const queued = await database.prisma.outboxMessage.findMany({
      where: { platform: "teams" },
      include: { body: true },
    });
    expect(queued.map((row) => row.conversationRef)).toEqual(["teams-dm-sanne"]);
    expect(JSON.stringify(queued[0]?.body.message)).toContain(TRACKER_SUBMIT);
    expect(text(await say(DEMO_IDS.sanne, "help"))).toContain("koppeling jira <adres> <sleutel>");
    expect(text(await say(DEMO_IDS.lotte, "help"))).not.toContain("koppeling jira");
  });

  it("a send whose job Redis lost is queued again by the reconciler, and made once", async () => {
    const actionId = await newAction(DEMO_IDS.pilot, "Wijkbewoners vragen naar hun ervaring");
    await core.deps.stores.trackers.request(actionId, DEMO_IDS.pilot, core.clock.now());
    const yearly = { pattern: "0 0 1 1 *", tz: "Europe/Amsterdam" };
    const report = await reconcile({
      stores: core.deps.stores,
      ticks: core.ticks,
      dispatcher: core.deps.dispatcher,
      schedule: {
        retroTick: yearly,
        checkpoints: yearly,
        digest: yearly,
        retention: yearly,
        members: yearly,
        lessonFeeds: yearly,
      },
      logger: core.deps.logger,
      now: core.clock.now(),
    });
    expect(report.requeued).toBeGreaterThanOrEqual(1);
    await eventually(async () => (await exportOf(actionId))?.status === "sent");
    expect(jira.issues.filter((i) => i.labels.includes(`leerlus-${actionId}`))).toHaveLength(1);
  });

  it("no token reached the logs", () => {
    const all = logs.join("");
    expect(all).toContain("a tracker did not take an action");
    for (const secret of [jira.cloud.apiToken, jira.dataCenter.pat, azure.pat]) expect(all).not.toContain(secret);
  });
});
