import { createSlackAdapter } from "../../adapters/slack/create-slack-adapter.ts";
import type { SlackAdapterConfig } from "../../adapters/slack/slack-config.ts";
import type { Db } from "../../src/persistence/database.ts";
import { createReceivedEventRepository } from "../../src/persistence/received-event-repository.ts";
import type { FakeSlackApi } from "./fake-slack-api.ts";
import { prompts } from "./test-core.ts";

/**
 * A single-workspace Slack adapter on the fake Web API, with install stores that accept
 * everything and its requests recorded in `db`.
 */
export function createTestSlackAdapter(fake: FakeSlackApi, db: Db, overrides: Partial<SlackAdapterConfig> = {}) {
  return createSlackAdapter({
    signingSecret: "test-signing-secret",
    botToken: "xoxb-test",
    appToken: undefined,
    oauth: undefined,
    apiUrl: fake.apiUrl,
    publicUrl: "http://127.0.0.1:0",
    installs: {
      isRegistered: async () => true,
      find: async () => null,
      save: async () => true,
      remove: async () => {},
    },
    receivedEvents: createReceivedEventRepository(db),
    homeView: async () => null,
    text: (locale, key, vars) => prompts.t(locale, key, vars),
    ...overrides,
  });
}
