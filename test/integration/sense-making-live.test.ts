// Live sense-making in the web chat, on PostgreSQL and Redis with the real core: the lead runs
// `retro live 5` in a meeting (a member may not), the group message counts down as the
// project's tick runs on a test clock, the voting closes at its time (kept in the database),
// and the lead walks the team through the top groups with Next — a replayed click moves once —
// ending with the proposed team actions.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatTime } from "../../src/domain/format-date.ts";
import type { Message } from "../../src/domain/message.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import type { CycleRecord } from "../../src/ports/retro-store.ts";
import type { SenseGroupRecord } from "../../src/ports/sense-store.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { textOf } from "../support/message-text.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { answeredPilotRetro, pilotChannelEvents, storedSenseMessage } from "../support/sense-answers.ts";
import { createTestCore, prompts } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const _channel = `web:channel:${DEMO_IDS.pilot}`;
const nl = (key: string, vars?: Record<string, string | number>) => prompts.t("nl", key, vars);

/** The value of the message's Next button, or undefined when it has none. */
function nextValue(message: Message | undefined): string | undefined {
  for (const block of message?.blocks ?? []) {
    if (block.type !== "actions") continue;
    const button = block.buttons.find((candidate) => candidate.actionId === "sense.next");
    if (button) return button.value;
  }
  return undefined;
}

describe("live sense-making in the web chat", () => {
  let database: TestDatabase;
  let core: ReturnType<typeof createTestCore>;
  let cycle: CycleRecord;
  const { event, say } = pilotChannelEvents(() => core.deps);
  const click = (personId: string, actionId: string, value: string) =>
    event(personId, { type: "action", actionId, value });
  const senseMessage = () => storedSenseMessage(core.deps, cycle.id);
  const groups = (): Promise<SenseGroupRecord[]> => core.deps.stores.sense.groups(cycle.id);
  const countdown = async (count: number) => {
    const session = await core.deps.stores.sense.session(cycle.id);
    const at = formatTime(session?.votingClosesAt ?? new Date(0), "nl", "Europe/Amsterdam");
    return nl("sense.live.countdown", { at, count });
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    core = createTestCore(database, [createRecordingAdapter("web")]);
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
    cycle = await answeredPilotRetro(core.deps, core.clock, () =>
      database.prisma.project.update({ where: { id: DEMO_IDS.implementation }, data: { active: false } }),
    );
    // The fast demo opens a retro every three minutes; this meeting needs longer before the next one.
    await database.prisma.project.update({
      where: { id: DEMO_IDS.pilot },
      data: { cadence: { kind: "minutes", every: 600 } },
    });
  });

  afterAll(async () => {
    await core?.close();
    await database?.drop();
  });

  it("only the lead starts it, with 1 to 30 minutes; the groups appear with a countdown", async () => {
    expect(textOf((await say(DEMO_IDS.lotte, "retro live"))[0])).toBe(nl("errors.lead-only"));
    expect(textOf((await say(DEMO_IDS.sanne, "retro live 45"))[0])).toBe(nl("sense.live.unclear"));
    expect(textOf((await say(DEMO_IDS.sanne, "retro live vijf"))[0])).toBe(nl("sense.live.unclear"));
    expect(await core.deps.stores.sense.session(cycle.id)).toBeNull();

    const [started] = await say(DEMO_IDS.sanne, "retro live 5");
    expect(textOf(started)).toBe(nl("sense.live.started", { count: 5 }));
    const session = await core.deps.stores.sense.session(cycle.id);
    expect(session?.live).toBe(true);
    expect((session?.votingClosesAt.getTime() ?? 0) - core.clock.now().getTime()).toBe(5 * 60_000);
    const text = textOf(await senseMessage());
    expect(text).toContain("Datakwaliteit");
    expect(text).toContain(await countdown(5));
  });

  it("the tick counts down once a minute and closes the voting at its time, not before", async () => {
    const all = await groups();
    expect(all.length).toBeGreaterThanOrEqual(3);
    const [first, second, third] = all as [SenseGroupRecord, SenseGroupRecord, SenseGroupRecord];
    // Three votes for the first group, two for the second, one for the third: fewer than all, so it stays open.
    const picks: [string, SenseGroupRecord[]][] = [
      [DEMO_IDS.ahmed, [first, second]],
      [DEMO_IDS.lotte, [first]],
      [DEMO_IDS.emma, [second, third]],
      [DEMO_IDS.sanne, [first]],
    ];
    for (const [person, chosen] of picks) for (const group of chosen) await click(person, "sense.vote", group.id);

    core.clock.advance(2 * 60_000);
    await advanceProject(core.deps, DEMO_IDS.pilot);
    expect(textOf(await senseMessage())).toContain(await countdown(3));
    expect((await core.deps.stores.sense.session(cycle.id))?.closedAt).toBeNull();

    core.clock.advance(3 * 60_000);
    await advanceProject(core.deps, DEMO_IDS.pilot);
    expect((await core.deps.stores.sense.session(cycle.id))?.closedAt).not.toBeNull();
    const message = await senseMessage();
    expect(textOf(message)).toContain(nl("sense.live.walk", { index: 1, total: 3 }));
    expect(textOf(message)).toContain(nl("sense.result.votes", { count: 3 }));
    expect(nextValue(message)).toBeDefined();
    expect(await database.prisma.actionItem.count({ where: { cycleId: cycle.id } })).toBe(3);
  });

  it("the lead walks through the top groups with Next; a member may not, and a replayed click moves once", async () => {
    const first = nextValue(await senseMessage()) ?? "";
    expect(textOf((await click(DEMO_IDS.lotte, "sense.next", first))[0])).toBe(nl("errors.lead-only"));
    expect(textOf(await senseMessage())).toContain(nl("sense.live.walk", { index: 1, total: 3 }));

    expect(textOf((await click(DEMO_IDS.sanne, "sense.next", first))[0])).toBe(
      nl("sense.live.shown", { index: 2, total: 3 }),
    );
    expect(textOf((await click(DEMO_IDS.sanne, "sense.next", first))[0])).toBe(nl("sense.live.moved-already"));
    const second = await senseMessage();
    expect(textOf(second)).toContain(nl("sense.live.walk", { index: 2, total: 3 }));
    expect(textOf(second)).toContain(nl("sense.result.votes", { count: 2 }));

    await click(DEMO_IDS.sanne, "sense.next", nextValue(second) ?? "");
    const third = await senseMessage();
    expect(textOf(third)).toContain(nl("sense.live.walk", { index: 3, total: 3 }));
    expect(JSON.stringify(third)).toContain(nl("sense.live.finish"));

    const [ended] = await click(DEMO_IDS.sanne, "sense.next", nextValue(third) ?? "");
    expect(textOf(ended)).toBe(nl("sense.live.ended"));
    const last = await senseMessage();
    expect(textOf(last)).toContain(nl("sense.live.done"));
    expect(textOf(last)).toContain(nl("sense.result.voters", { count: 4 }));
    expect(nextValue(last)).toBeUndefined();
    const [actions] = await core.deps.stores.outbox.withKeyPrefixes(DEMO_IDS.organisation, [
      `team-actions:${cycle.id}:`,
    ]);
    expect(actions).toBeDefined();
  });
});
