import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import { DEMO_IDS } from "../../src/persistence/demo-seed.ts";

/** The web direct conversation of a demo person. */
export const dm = (personId: string) => `web:dm:${personId}`;

/** A demo person pressing a button in their direct conversation. */
export function press(personId: string, actionId: string, value: string): InboundEvent {
  return {
    type: "action",
    platform: "web",
    tenantId: DEMO_IDS.organisation,
    platformUserId: personId,
    conversationRef: dm(personId),
    actionId,
    value,
  };
}
