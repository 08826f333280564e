import { createSlackAdapter } from "../../adapters/slack/create-slack-adapter.ts";
import type { SlackAdapterConfig } from "../../adapters/slack/slack-config.ts";
import type { FakeSlackApi } from "./fake-slack-api.ts";
import { prompts } from "./test-core.ts";

/** A single-workspace Slack adapter on the fake Web API, with stores that accept everything. */
export function createTestSlackAdapter(fake: FakeSlackApi, overrides: Partial<SlackAdapterConfig> = {}) {
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
    processedEvents: { firstTime: async () => true },
    homeView: async () => null,
    text: (locale, key, vars) => prompts.t(locale, key, vars),
    ...overrides,
  });
}
