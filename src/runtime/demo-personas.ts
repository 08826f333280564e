// The demo's team plays its part: in the pilot, Ahmed, Emma and Sanne (the lead) answer each
// retro, Sanne groups the answers, they vote and Ahmed takes the top action. Each step goes
// through handleEvent, exactly as their click or form would, so every use case's checks and
// idempotency apply: a step repeated (every round, or after a restart) changes nothing. What
// they do follows from the state and the clock alone; Lotte is left for the newcomer.
import type { InboundEvent } from "../domain/inbound-event.ts";
import { DEMO_IDS } from "../persistence/demo-seed.ts";
import type { Logger } from "../ports/logger.ts";
import type { CycleRecord } from "../ports/retro-store.ts";
import type { Deps } from "../use-cases/deps.ts";
import { handleEvent } from "../use-cases/handle-event.ts";
import { TEAM_ACTION_TAKE, teamActionsKeyPrefix } from "../use-cases/team-actions/team-action-message.ts";

/** What each persona writes to the questions about learning and change, in turn; scales get a 4. */
const WRITES: Record<string, string[]> = {
  [DEMO_IDS.ahmed]: [
    "De sensordata eerst opschonen voor we routes plannen",
    "Bewoners eerder betrekken bij de proef",
    "De DPIA op tijd laten doen",
    "Afspraken maken met de lijnorganisatie over beheer",
  ],
  [DEMO_IDS.emma]: [
    "Ask residents what they notice in the street",
    "Check the data quality of the waste bin sensors",
    "Work more closely with the district teams",
    "Agree who owns the routes after the pilot",
  ],
  [DEMO_IDS.sanne]: [
    "Bewoners uitnodigen voor de wijkavond",
    "Datakwaliteit van de meldingen bewaken",
    "De eigenaar in de lijn vroeg betrekken",
    "Privacy van melders beschermen",
  ],
};
const PERSONAS = Object.keys(WRITES);
/** Each persona's votes, by the group's place in the list: two of three, so the newcomer's vote still counts. */
const VOTES: Record<string, number[]> = {
  [DEMO_IDS.ahmed]: [0, 1],
  [DEMO_IDS.emma]: [1, 0],
  [DEMO_IDS.sanne]: [0, 2],
};
/**
 * After the retro opens the personas answer, and a minute in the lead groups (a newcomer's
 * earlier answers are included). The lead closes the voting this long before the next retro,
 * so the action is taken before that retro asks how the actions went and the newcomer has
 * time to vote (about a minute) and to take an action too.
 */
export const DEMO_ANSWER_AFTER_MS = 15_000;
export const DEMO_GROUP_AFTER_MS = 60_000;
export const DEMO_CLOSE_BEFORE_NEXT_MS = 45_000;
const DEMO_TAKE_WITHIN_MS = 30_000;

const channel = `web:channel:${DEMO_IDS.pilot}`;

/** One round of the personas' turns; run every few seconds by the demo. */
export async function playDemoPersonas(deps: Deps): Promise<void> {
  const as = (personId: string, conversationRef: string, rest: Partial<InboundEvent>) =>
    handleEvent(deps, {
      platform: "web",
      tenantId: DEMO_IDS.organisation,
      platformUserId: personId,
      conversationRef,
      ...rest,
    } as InboundEvent);
  const now = deps.clock.now().getTime();
  const cycle = await deps.stores.retro.latestCycle(DEMO_IDS.pilot);
  if (cycle?.status === "open" && now - cycle.opensAt.getTime() >= DEMO_ANSWER_AFTER_MS) {
    const waiting = (await deps.stores.retro.deliveries(cycle.id)).filter(
      (delivery) => !delivery.answeredAt && PERSONAS.includes(delivery.personId),
    );
    for (const { personId } of waiting) {
      await as(personId, `web:dm:${personId}`, {
        type: "formSubmitted",
        actionId: "retro.answer",
        value: cycle.id,
        answers: answersOf(cycle, personId),
      });
    }
    if (now - cycle.opensAt.getTime() >= DEMO_GROUP_AFTER_MS) {
      await as(DEMO_IDS.sanne, channel, { type: "command", text: "retro groeperen" });
    }
  }
  let session = await deps.stores.sense.latest(DEMO_IDS.pilot);
  if (!session) return;
  if (!session.closedAt) {
    const groups = await deps.stores.sense.groups(session.cycleId);
    for (const personId of PERSONAS) {
      for (const place of VOTES[personId] ?? []) {
        const group = groups[place];
        if (group) await as(personId, channel, { type: "action", actionId: "sense.vote", value: group.id });
      }
    }
    // The voting closes by itself when the next retro opens: the lead closes it a little before.
    if (now < session.votingClosesAt.getTime() - DEMO_CLOSE_BEFORE_NEXT_MS) return;
    await as(DEMO_IDS.sanne, channel, { type: "command", text: "stemming sluiten" });
    session = await deps.stores.sense.session(session.cycleId);
  }
  // The voting closed: Ahmed takes the first proposed action, from the message the team sees.
  // Only just after it closed, so someone playing Ahmed who steps back later stays stepped back.
  if (!session?.closedAt || now - session.closedAt.getTime() > DEMO_TAKE_WITHIN_MS) return;
  const [posted] = await deps.stores.outbox.withKeyPrefixes(DEMO_IDS.organisation, [
    teamActionsKeyPrefix(session.cycleId),
  ]);
  const take = posted?.message.blocks
    .flatMap((block) => (block.type === "actions" ? block.buttons : []))
    .find((button) => button.actionId === TEAM_ACTION_TAKE);
  if (take?.value) {
    const action = await deps.stores.teamActions.get(take.value);
    if (action && !action.owners.some((owner) => owner.personId === DEMO_IDS.ahmed)) {
      await as(DEMO_IDS.ahmed, channel, { type: "action", actionId: TEAM_ACTION_TAKE, value: take.value });
    }
  }
}

function answersOf(cycle: CycleRecord, personId: string): Record<string, string> {
  let written = 0;
  return Object.fromEntries(
    cycle.questions.nl.map((question) => {
      if (question.kind === "scale") return [question.key, "4"];
      const writes = WRITES[personId] ?? [];
      return [question.key, writes[written++ % writes.length] ?? ""];
    }),
  );
}

/** Plays the personas every few seconds, one round at a time; a failed round is retried by the next. */
export function startDemoPersonas(deps: Deps, logger: Logger, intervalMs = 5_000): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const run = () => {
    running ??= playDemoPersonas(deps)
      .catch((error: Error) => logger.warn({ code: "DEMO_PERSONAS_FAILED", err: error.name }, "demo personas failed"))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(run, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
