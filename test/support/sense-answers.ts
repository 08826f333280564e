import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import type { Message } from "../../src/domain/message.ts";
import { DEMO_IDS } from "../../src/persistence/demo-seed.ts";
import type { CycleRecord } from "../../src/ports/retro-store.ts";
import type { Deps } from "../../src/use-cases/deps.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { answerAsDemoPeople, openedPilotRetro } from "./demo-answers.ts";

/** What three pilot members write to the questions about learning and change: a few clear themes each. */
export const THEMED_WRITES: Record<string, string[]> = {
  [DEMO_IDS.ahmed]: [
    "De dataset opschonen voor we koppelen",
    "Bewoners eerder betrekken",
    "De DPIA op tijd laten doen",
    "Afspraken met de lijnorganisatie maken",
  ],
  [DEMO_IDS.lotte]: [
    "Bewoners uitnodigen voor de wijkavond",
    "Datakwaliteit van de bronsystemen bewaken",
    "Vaker afstemmen met het sociaal team",
    "Privacy van melders beschermen",
  ],
  [DEMO_IDS.emma]: [
    "Inwoners vragen wat ze merken",
    "Samenwerken met de wijkteams",
    "Verouderde registraties bijwerken",
    "Koffie halen",
  ],
};

/** The pilot's retro opened and answered by the three writers (still open). Only the pilot runs. */
export async function answeredPilotRetro(
  deps: Deps,
  clock: { advance(ms: number): void },
  stopOthers: () => Promise<unknown>,
): Promise<CycleRecord> {
  const cycle = await openedPilotRetro(deps, clock, stopOthers);
  const grouped = cycle.questions.nl.filter((q) => q.kind !== "scale" && q.yields !== "none").map((q) => q.key);
  await answerAsDemoPeople(deps, cycle, Object.keys(THEMED_WRITES), (key, person) => {
    const index = grouped.indexOf(key);
    return index >= 0 ? (THEMED_WRITES[person]?.[index % 4] ?? "") : `Iets anders over ${key}`;
  });
  return cycle;
}

/** A person's events in the pilot's web channel, through handleEvent as the web chat sends them. */
export function pilotChannelEvents(deps: () => Deps) {
  const event = (personId: string, rest: Partial<InboundEvent>) =>
    handleEvent(deps(), {
      platform: "web",
      tenantId: DEMO_IDS.organisation,
      platformUserId: personId,
      conversationRef: `web:channel:${DEMO_IDS.pilot}`,
      ...rest,
    } as InboundEvent);
  const say = (personId: string, text: string) => event(personId, { type: "command", text });
  return { event, say };
}

/** A cycle's grouped answers as the web channel's message reads now. */
export async function storedSenseMessage(deps: Deps, cycleId: string): Promise<Message | undefined> {
  const [row] = await deps.stores.outbox.withKeyPrefixes(DEMO_IDS.organisation, [`sense:${cycleId}:web`]);
  return row?.message;
}
