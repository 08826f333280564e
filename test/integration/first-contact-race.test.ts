import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { createTestCore, prompts } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

// Teams sends installationUpdate and conversationUpdate for one install at the same moment (the
// Agents Playground does too), and two processes may handle them: the person's first contact
// arrives twice at once. Both are answered, one person is made, and the installer stays admin.
describe("first contact arriving twice at once", () => {
  let database: TestDatabase;
  let core: ReturnType<typeof createTestCore>;

  beforeAll(async () => {
    database = await createTestDatabase();
    core = createTestCore(database, [createRecordingAdapter("teams")]);
  });

  afterAll(async () => {
    await core?.close();
    await database?.drop();
  });

  it("registers the installer once, as the new organisation's admin, and welcomes them", async () => {
    for (let round = 0; round < 5; round++) {
      const tenantId = `tenant-race-${round}`;
      const event: InboundEvent = {
        type: "installed",
        platform: "teams",
        tenantId,
        platformUserId: `aad-installer-${round}`,
        conversationRef: `personal-${round}`,
        directRef: `personal-${round}`,
        profile: { displayName: "Alex Wilber" },
      };
      const replies = await Promise.all([1, 2, 3].map(() => handleEvent(core.deps, event)));
      expect(replies.every((messages) => messages.length === 1)).toBe(true);
      const people = await database.prisma.person.findMany({ where: { identities: { some: { tenantId } } } });
      expect(people).toHaveLength(1);
      expect(people[0]?.roles).toContain("admin");
    }
  });

  it("welcomes in the language the chat client reports until the person chose one", async () => {
    const base = { platform: "teams" as const, tenantId: "tenant-race-0", platformUserId: "aad-reader" };
    // Known first from a channel, where Teams says nothing of their language.
    await handleEvent(core.deps, { ...base, type: "memberJoined", conversationRef: "channel", profile: {} });
    const [welcome] = await handleEvent(core.deps, {
      ...base,
      type: "installed",
      conversationRef: "personal-reader",
      directRef: "personal-reader",
      profile: { locale: "en-US" },
    });
    expect(welcome?.fallback).toBe(prompts.t("en", "welcome.installed"));
  });
});
