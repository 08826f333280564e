import { afterAll } from "vitest";
import { serializeReference } from "../../adapters/teams/conversation-ref.ts";
import { createTeamsAdapter } from "../../adapters/teams/create-teams-adapter.ts";
import { describeChatAdapterContract } from "../support/chat-adapter-contract.ts";
import { type FakeBotFramework, startFakeBotFramework } from "../support/fake-bot-framework.ts";
import { BOT_ID, teamsConfig } from "../support/teams-activities.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

let fake: FakeBotFramework | undefined;
let database: TestDatabase | undefined;
afterAll(async () => {
  await fake?.close();
  await database?.drop();
});

describeChatAdapterContract(
  "teams",
  async () => {
    fake = await startFakeBotFramework();
    const bot = fake;
    database = await createTestDatabase();
    const teams = createTeamsAdapter(teamsConfig(bot, database.db));
    const channelRef = serializeReference({
      channelId: "msteams",
      serviceUrl: bot.serviceUrl,
      conversation: { id: "19:contract@thread.tacv2", conversationType: "channel", isGroup: true, name: "" },
      bot: { id: BOT_ID, name: "Leerlus" },
    });
    const conversationId = (ref: string) => JSON.parse(ref).conversation.id as string;
    return {
      adapter: teams.adapter,
      user: { tenantId: "tenant-contract", platformUserId: "aad-contract-person" },
      channelRef,
      async received(conversationRef) {
        const id = conversationId(conversationRef);
        return bot.calls.filter((call) => call.conversationId === id).map((call) => JSON.stringify(call.body));
      },
      rateLimitNextSend: (seconds) => bot.refuseNext({ status: 429, retryAfterSeconds: seconds }),
      refuseNextSend: () => bot.refuseNext({ status: 403 }),
      close: async () => {},
    };
  },
  { rateLimits: true, refusals: true },
);
