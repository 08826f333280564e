// A lead connects Azure DevOps from Teams (real botbuilder, signed activities, the fake Bot
// Connector): the token goes into a Password input of an Adaptive Card in the personal chat.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { findByType } from "../support/adaptive-card-check.ts";
import { type FakeAzureDevOps, startFakeAzureDevOps } from "../support/fake-azure-devops.ts";
import { type FakeBotFramework, startFakeBotFramework } from "../support/fake-bot-framework.ts";
import {
  APP_ID,
  executeActivity,
  installActivity,
  messageActivity,
  personalConversation,
  postHandled,
  startTeamsServer,
  type TeamsPerson,
  type TeamsServer,
  teamsConfig,
} from "../support/teams-activities.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestCore } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const mark: TeamsPerson = { aadObjectId: "aad-mark", name: "Mark de Boer", tenantId: "tenant-trackers" };

describe("trackers in Teams", () => {
  let database: TestDatabase;
  let fake: FakeBotFramework;
  let azure: FakeAzureDevOps;
  let server: TeamsServer;
  let core: ReturnType<typeof createTestCore>;
  const chat = personalConversation(mark);

  const post = (activity: unknown) => postHandled(database.db, server.url, activity, fake.token({ appId: APP_ID }));
  const cardsTo = (conversationId: string) =>
    fake.calls
      .filter((call) => call.conversationId === conversationId && (call.kind === "reply" || call.kind === "send"))
      .flatMap((call) => (call.body.attachments ?? []).map((attachment: { content: unknown }) => attachment.content));

  beforeAll(async () => {
    database = await createTestDatabase();
    [fake, azure] = await Promise.all([startFakeBotFramework(), startFakeAzureDevOps()]);
    server = await startTeamsServer(teamsConfig(fake, database.db));
    core = createTestCore(database, [server.teams.adapter]);
    await server.teams.adapter.start((event) => handleEvent(core.deps, event));
  });

  afterAll(async () => {
    await server?.teams.adapter.stop();
    await server?.close();
    await core?.close();
    await Promise.all([fake?.close(), azure?.close()]);
    await database?.drop();
  });

  it("the token goes into a Password input; submitted, Azure DevOps is connected and the card is replaced", async () => {
    await post(installActivity(fake, mark, chat));
    const person = await eventually(() =>
      core.deps.stores.directory.personByIdentity("teams", mark.tenantId, mark.aadObjectId),
    );
    // Mark leads a project of his organisation (set up in another channel).
    const project = await database.db.project.create({
      data: {
        organisationId: person?.organisationId as string,
        name: "Woningbouwmonitor",
        cadence: { kind: "weekly", weekday: 4, time: "15:00", timezone: "Europe/Amsterdam" },
        memberships: { create: [{ personId: person?.id as string, role: "lead" }] },
      },
    });
    const before = cardsTo(chat.id).length;
    await post(messageActivity(fake, mark, chat, `koppeling azure ${azure.organisationUrl} Slim Schoon`));
    const card = await eventually(() =>
      cardsTo(chat.id)
        .slice(before)
        .find((c) => findByType(c, "Input.Text").length > 0),
    );
    const token = findByType(card, "Input.Text").find((input) => input.id === "token");
    expect(token).toMatchObject({ style: "Password", isRequired: true });
    expect(token?.value).toBeUndefined();
    const submit = findByType(card, "Action.Execute").find((action) => action.verb === "tracker.submit");
    expect(submit?.data).toMatchObject({ leerlus: { value: project.id } });

    const response = await post(
      executeActivity(fake, mark, chat, {
        verb: "tracker.submit",
        data: {
          ...(submit?.data as Record<string, unknown>),
          kind: "azure-devops",
          url: azure.organisationUrl,
          project: "Slim Schoon",
          email: "",
          token: azure.pat,
          auto: "yes",
        },
      }),
    );
    const stored = await eventually(() => database.db.projectTracker.findUnique({ where: { projectId: project.id } }));
    expect(stored).toMatchObject({ kind: "azure-devops", trackerProject: "Slim Schoon", autoSend: true });
    // The card is answered in the invoke's own response, replacing the form (or posted, if that came too late).
    const answered = await response.text();
    await eventually(() =>
      // A project name is a person's text: its own TextRun between the copy's.
      `${answered}${JSON.stringify(fake.calls)}`.includes('"Gekoppeld aan project "'),
    );
    expect(`${answered}${JSON.stringify(fake.calls)}`).not.toContain(azure.pat);
  });
});
