import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serializeReference } from "../../adapters/teams/conversation-ref.ts";
import { createTeamsAdapter } from "../../adapters/teams/create-teams-adapter.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { type FakeBotFramework, startFakeBotFramework } from "../support/fake-bot-framework.ts";
import { insertRow } from "../support/fixtures.ts";
import { allSent } from "../support/outbox-wait.ts";
import { BOT_ID, channelConversation, teamsConfig } from "../support/teams-activities.ts";
import { createTestCore } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const TENANT = "tenant-outage";
const PEOPLE = ["aad-1", "aad-2", "aad-3", "aad-4", "aad-5"];

// Teams answering 429, 412, 502 and 504 for a while: deliveries wait and resume, each
// message arrives once.
describe("Teams throttling and failing during a fan-out", () => {
  let database: TestDatabase;
  let fake: FakeBotFramework;
  let core: ReturnType<typeof createTestCore>;
  let projectId: string;
  const reference = (conversation: { id: string; conversationType: string; isGroup?: boolean }) =>
    serializeReference({
      channelId: "msteams",
      serviceUrl: fake.serviceUrl,
      conversation: { isGroup: false, name: "", ...conversation },
      bot: { id: BOT_ID, name: "Leerlus" },
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    fake = await startFakeBotFramework();
    const teams = createTeamsAdapter(teamsConfig(fake, database.db));
    core = createTestCore(database, [teams.adapter]);
    const organisation = await insertRow(database.db, "Organisation", {
      name: "Gemeente Storing",
      quietHoursEnd: 0,
      quietHoursStart: 24 * 60,
      quietWeekends: false,
    });
    const people = [];
    for (const aad of PEOPLE) {
      people.push(
        await database.prisma.person.create({
          data: {
            organisationId: organisation.id,
            displayName: `Persoon ${aad}`,
            identities: {
              create: {
                platform: "teams",
                tenantId: TENANT,
                platformUserId: aad,
                conversationRef: reference({ id: `a:personal-${aad}`, conversationType: "personal" }),
              },
            },
          },
        }),
      );
    }
    projectId = (
      await database.prisma.project.create({
        data: {
          organisationId: organisation.id,
          name: "Storingsproject",
          cadence: { kind: "minutes", every: 600 },
          createdAt: core.clock.now(),
          channels: { create: { platform: "teams", conversationRef: reference(channelConversation("storing")) } },
          memberships: {
            create: people.map((person, i) => ({ personId: person.id, role: i === 0 ? "lead" : "member" })),
          },
        },
      })
    ).id;
  });

  afterAll(async () => {
    await core?.close();
    await fake?.close();
    await database?.drop();
  });

  it("delivers every prompt exactly once after Teams recovers", async () => {
    const refusals = [
      { status: 429, retryAfterSeconds: 1 },
      { status: 412 },
      { status: 502 },
      { status: 504 },
      { status: 429, retryAfterSeconds: 1 },
    ];
    for (const refusal of refusals) fake.refuseNext(refusal);
    await advanceProject(core.deps, projectId);
    const expected = PEOPLE.length + 1; // the prompts and the channel's notice
    const outbox = await allSent(database.db, expected);
    const delivered = fake.calls.filter((call) => call.kind === "send" || call.kind === "reply");
    const perConversation = new Map<string, number>();
    for (const call of delivered)
      perConversation.set(call.conversationId, (perConversation.get(call.conversationId) ?? 0) + 1);
    expect([...perConversation.values()]).toEqual(Array(expected).fill(1));
    expect(outbox.reduce((sum, row) => sum + row.attempts, 0)).toBeGreaterThan(expected);
  }, 90_000);
});
