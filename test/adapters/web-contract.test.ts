import { randomBytes } from "node:crypto";
import { afterAll } from "vitest";
import { createWebAdapter } from "../../adapters/web/create-web-adapter.ts";
import { createWebMessageRepository } from "../../src/persistence/web-message-repository.ts";
import { createRedisNotifier } from "../../src/scheduler/redis-notifier.ts";
import { createLinkSigner } from "../../src/use-cases/signed-link.ts";
import { describeChatAdapterContract } from "../support/chat-adapter-contract.ts";
import { prompts, REDIS_URL } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

let database: TestDatabase | undefined;
afterAll(async () => database?.drop());

describeChatAdapterContract(
  "web",
  async () => {
    database = await createTestDatabase();
    const store = createWebMessageRepository(database.db);
    const notifier = createRedisNotifier({
      redisUrl: REDIS_URL,
      channel: `contract-${randomBytes(6).toString("hex")}`,
    });
    const web = createWebAdapter({
      store,
      notifier,
      directory: { person: async () => null, personas: async () => [], conversationsFor: async () => [] },
      linkSigner: createLinkSigner("link-secret-for-contract-tests-01"),
      demo: false,
      text: (locale, key, vars) => prompts.t(locale, key, vars),
      sessionSecret: "session-secret-for-contract-tests-1",
    });
    return {
      adapter: web.adapter,
      user: { tenantId: "org", platformUserId: "person-1" },
      channelRef: "web:channel:project-1",
      async received(conversationRef) {
        const messages = await store.list([conversationRef], "nobody");
        return messages.map((stored) => JSON.stringify(stored.message));
      },
      close: () => notifier.close(),
    };
  },
  { rateLimits: false, refusals: false },
);
