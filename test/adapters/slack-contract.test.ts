import { afterAll } from "vitest";
import { parseConversationRef } from "../../adapters/slack/conversation-ref.ts";
import { callProblems } from "../support/block-kit-limits.ts";
import { describeChatAdapterContract } from "../support/chat-adapter-contract.ts";
import { type FakeSlackApi, startFakeSlackApi } from "../support/fake-slack-api.ts";
import { createTestSlackAdapter } from "../support/slack-test-adapter.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

let fake: FakeSlackApi | undefined;
let database: TestDatabase | undefined;
afterAll(async () => {
  await database?.drop();
  // Whatever the contract sent, Slack would have accepted.
  if (fake && callProblems(fake.calls).length > 0) throw new Error(callProblems(fake.calls).join("\n"));
});

describeChatAdapterContract(
  "slack",
  async () => {
    fake = await startFakeSlackApi();
    const api = fake;
    api.users.set("UCONTRACT", { id: "UCONTRACT", name: "Contract Person", locale: "en-US" });
    database = await createTestDatabase();
    const slack = createTestSlackAdapter(api, database.db);
    return {
      adapter: slack.adapter,
      user: { tenantId: api.team.id, platformUserId: "UCONTRACT" },
      channelRef: `slack:${api.team.id}:C0TEAM`,
      async received(conversationRef) {
        const channel = parseConversationRef(conversationRef)?.channel;
        return api.calls
          .filter((call) => ["chat.postMessage", "chat.update"].includes(call.method) && call.args.channel === channel)
          .map((call) => JSON.stringify(call.args));
      },
      rateLimitNextSend: (seconds) => api.failNext("chat.postMessage", { status: 429, retryAfter: seconds }),
      refuseNextSend: () => api.failNext("chat.postMessage", { error: "channel_not_found" }),
      close: () => api.close(),
    };
  },
  { rateLimits: true, refusals: true },
);
