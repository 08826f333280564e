// The demo's team plays the whole conversation on its own, on PostgreSQL and Redis with the
// real core and the test clock: the personas answer the pilot's retro, the lead groups the
// answers, they vote (the newcomer as Lotte too), the voting closes when the next retro opens,
// the top groups become team actions and Ahmed takes one; all within five minutes of the
// retro opening, and playing the same rounds again (a restart) doubles nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import type { CycleRecord } from "../../src/ports/retro-store.ts";
import {
  DEMO_ANSWER_AFTER_MS,
  DEMO_CLOSE_BEFORE_NEXT_MS,
  DEMO_GROUP_AFTER_MS,
  playDemoPersonas,
} from "../../src/runtime/demo-personas.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { openedPilotRetro } from "../support/demo-answers.ts";
import { textOf } from "../support/message-text.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { createTestCore, prompts } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const channel = `web:channel:${DEMO_IDS.pilot}`;

describe("the demo's personas play the whole conversation", () => {
  let database: TestDatabase;
  let core: ReturnType<typeof createTestCore>;
  let cycle: CycleRecord;
  const counts = async () => ({
    answers: await database.prisma.answer.count({ where: { cycleId: cycle.id } }),
    groups: await database.prisma.senseGroup.count({ where: { cycleId: cycle.id } }),
    votes: await database.prisma.senseVote.count({ where: { cycleId: cycle.id } }),
    actions: await database.prisma.actionItem.count({ where: { cycleId: cycle.id } }),
    owners: await database.prisma.actionOwner.count({ where: { action: { cycleId: cycle.id } } }),
    sense: await database.prisma.outboxMessage.count({ where: { key: { startsWith: `sense:${cycle.id}:` } } }),
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    core = createTestCore(database, [createRecordingAdapter("web")]);
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
    cycle = await openedPilotRetro(core.deps, core.clock, () =>
      database.prisma.project.update({ where: { id: DEMO_IDS.implementation }, data: { active: false } }),
    );
  });

  afterAll(async () => {
    await core?.close();
    await database?.drop();
  });

  it("answers, groups in the channel, votes, closes the voting and takes an action, before the next retro", async () => {
    const opened = cycle.opensAt.getTime();
    await playDemoPersonas(core.deps);
    expect((await counts()).answers).toBe(0); // a moment for the newcomer to see the retro arrive
    core.clock.advance(opened + DEMO_ANSWER_AFTER_MS - core.clock.now().getTime());
    await playDemoPersonas(core.deps);
    const answered = (await core.deps.stores.retro.deliveries(cycle.id)).filter((delivery) => delivery.answeredAt);
    expect(answered.map((delivery) => delivery.personId).sort()).toEqual(
      [DEMO_IDS.ahmed, DEMO_IDS.emma, DEMO_IDS.sanne].sort(),
    );

    core.clock.advance(DEMO_GROUP_AFTER_MS - DEMO_ANSWER_AFTER_MS);
    await playDemoPersonas(core.deps);
    const [posted] = await core.deps.stores.outbox.withKeyPrefixes(DEMO_IDS.organisation, [`sense:${cycle.id}:web`]);
    expect(textOf(posted?.message)).toContain(prompts.t("nl", "sense.vote", { number: 1 }));
    await playDemoPersonas(core.deps);
    const voted = await counts();
    expect(voted.groups).toBeGreaterThanOrEqual(3);
    expect(voted.votes).toBe(6);

    // The newcomer, as Lotte, can still vote: through the same click.
    const groups = await core.deps.stores.sense.groups(cycle.id);
    const [mine] = await handleEvent(core.deps, {
      type: "action",
      platform: "web",
      tenantId: DEMO_IDS.organisation,
      platformUserId: DEMO_IDS.lotte,
      conversationRef: channel,
      actionId: "sense.vote",
      value: groups.at(-1)?.id ?? "",
    } as InboundEvent);
    expect(textOf(mine)).toContain(prompts.t("nl", "sense.voted", { count: 2 }));

    // The lead closes the voting before the next retro asks about the actions; first nothing happens.
    const session = await core.deps.stores.sense.session(cycle.id);
    const nextRetro = session?.votingClosesAt.getTime() ?? 0;
    await playDemoPersonas(core.deps);
    expect((await core.deps.stores.sense.session(cycle.id))?.closedAt).toBeNull();
    core.clock.advance(nextRetro - DEMO_CLOSE_BEFORE_NEXT_MS - core.clock.now().getTime());
    await playDemoPersonas(core.deps);
    expect((await core.deps.stores.sense.session(cycle.id))?.closedAt).not.toBeNull();
    expect(core.clock.now().getTime()).toBeLessThan(nextRetro);
    expect(nextRetro - opened).toBeLessThanOrEqual(5 * 60_000);

    const actions = await database.prisma.actionItem.findMany({
      where: { cycleId: cycle.id },
      include: { owners: true },
    });
    expect(actions.length).toBeGreaterThanOrEqual(1);
    const taken = actions.filter((action) => action.owners.length > 0);
    expect(taken).toHaveLength(1);
    expect(taken[0]?.owners.map((owner) => owner.personId)).toEqual([DEMO_IDS.ahmed]);
    // Before the next retro opens, so it reviews an action with an owner.
    core.clock.advance(nextRetro - core.clock.now().getTime());
    await advanceProject(core.deps, DEMO_IDS.pilot);
    expect((await core.deps.stores.retro.latestCycle(DEMO_IDS.pilot))?.id).not.toBe(cycle.id);
  });

  it("a restart plays the same rounds again and doubles nothing", async () => {
    const before = await counts();
    for (let round = 0; round < 3; round++) await playDemoPersonas(core.deps);
    expect(await counts()).toEqual(before);
    expect(before.votes).toBe(7);
    expect(before.owners).toBe(1);
  });
});
