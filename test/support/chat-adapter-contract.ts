import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Message } from "../../src/domain/message.ts";
import { type ChatAdapter, DeliveryError } from "../../src/ports/chat-adapter.ts";

/** What each adapter's test provides: the adapter wired to its (fake) platform. */
export type ContractHarness = {
  adapter: ChatAdapter;
  /** A person on the platform, for openDirect. */
  user: { tenantId: string; platformUserId: string };
  /** A channel the adapter may post to. */
  channelRef: string;
  /** Everything the platform received for a conversation, as raw payload text, oldest first. */
  received(conversationRef: string): Promise<string[]>;
  /** Makes the platform answer the next send with a rate limit, where it can. */
  rateLimitNextSend?: (retryAfterSeconds: number) => void;
  /** Makes the platform refuse the next send for good (e.g. channel not found), where it can. */
  refuseNextSend?: () => void;
  close(): Promise<void>;
};

const message = (marker: string): Message => ({
  fallback: `Contract ${marker}`,
  blocks: [
    { type: "heading", text: [`Contract ${marker}`] },
    { type: "paragraph", text: ["Written by ", { user: `person ${marker}` }] },
    { type: "actions", buttons: [{ actionId: "contract.press", label: "Press", value: marker }] },
  ],
});

/**
 * Every ChatAdapter passes this suite; run it from the adapter's own test file. Platforms
 * that can rate-limit or refuse (Slack, Teams) declare it, and their harness must then
 * provide `rateLimitNextSend` / `refuseNextSend`.
 */
export function describeChatAdapterContract(
  name: string,
  setup: () => Promise<ContractHarness>,
  platform: { rateLimits: boolean; refusals: boolean },
): void {
  describe(`${name} adapter: ChatAdapter contract`, () => {
    let harness: ContractHarness;

    beforeAll(async () => {
      harness = await setup();
      await harness.adapter.start(async () => []);
    });

    afterAll(async () => {
      await harness?.adapter.stop();
      await harness?.close();
    });

    it("sends to a person's direct conversation and to a channel", async () => {
      const direct = await harness.adapter.openDirect(harness.user);
      expect(typeof direct).toBe("string");
      const toDirect = await harness.adapter.send(direct, message("direct-1"));
      const toChannel = await harness.adapter.send(harness.channelRef, message("channel-1"));
      expect(typeof toDirect).toBe("string");
      expect(toChannel).not.toBe(toDirect);
      expect((await harness.received(direct)).join("\n")).toContain("direct-1");
      expect((await harness.received(harness.channelRef)).join("\n")).toContain("channel-1");
    });

    it("updates a sent message in place", async () => {
      const sent = await harness.adapter.send(harness.channelRef, message("before-update"));
      await harness.adapter.update(sent, message("after-update"));
      expect((await harness.received(harness.channelRef)).join("\n")).toContain("after-update");
    });

    const whenRateLimited = platform.rateLimits ? it : undefined;
    const whenRefusing = platform.refusals ? it : undefined;

    whenRateLimited?.("reports a platform rate limit as a retryable DeliveryError with its wait", async () => {
      if (!harness.rateLimitNextSend) throw new Error("the harness must provide rateLimitNextSend");
      harness.rateLimitNextSend(7);
      const error = await harness.adapter.send(harness.channelRef, message("limited")).catch((caught) => caught);
      expect(error).toBeInstanceOf(DeliveryError);
      expect(error.retryable).toBe(true);
      expect(error.retryAfterMs).toBe(7000);
      // The next attempt goes through.
      await harness.adapter.send(harness.channelRef, message("after-limit"));
      expect((await harness.received(harness.channelRef)).join("\n")).toContain("after-limit");
    });

    whenRefusing?.("reports a permanent refusal as a non-retryable DeliveryError", async () => {
      if (!harness.refuseNextSend) throw new Error("the harness must provide refuseNextSend");
      harness.refuseNextSend();
      const error = await harness.adapter.send(harness.channelRef, message("refused")).catch((caught) => caught);
      expect(error).toBeInstanceOf(DeliveryError);
      expect(error.retryable).toBe(false);
    });
  });
}
