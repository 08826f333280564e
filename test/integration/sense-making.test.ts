// Making sense together in the web chat, on PostgreSQL and Redis with the real core: a retro's
// answers grouped by theme in the channel (the lead closes the answer window early), a
// non-lead refused, the lead merging and splitting groups, secret votes (a replayed click
// counts once), and the voting closing as soon as everyone used their votes, with the top
// groups proposed as team actions.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Message } from "../../src/domain/message.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import type { CycleRecord } from "../../src/ports/retro-store.ts";
import type { SenseGroupRecord } from "../../src/ports/sense-store.ts";
import { textOf } from "../support/message-text.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { answeredPilotRetro, pilotChannelEvents, storedSenseMessage } from "../support/sense-answers.ts";
import { createTestCore, prompts } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const _channel = `web:channel:${DEMO_IDS.pilot}`;
const nl = (key: string, vars?: Record<string, string | number>) => prompts.t("nl", key, vars);

describe("making sense together in the web chat", () => {
  let database: TestDatabase;
  let core: ReturnType<typeof createTestCore>;
  let cycle: CycleRecord;
  const { event, say } = pilotChannelEvents(() => core.deps);
  const vote = (personId: string, groupId: string) =>
    event(personId, { type: "action", actionId: "sense.vote", value: groupId });
  const senseMessage = () => storedSenseMessage(core.deps, cycle.id);
  const groups = (): Promise<SenseGroupRecord[]> => core.deps.stores.sense.groups(cycle.id);

  beforeAll(async () => {
    database = await createTestDatabase();
    core = createTestCore(database, [createRecordingAdapter("web")]);
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
    // An anonymous project: answers without a person, and everything below works the same.
    await database.prisma.project.update({ where: { id: DEMO_IDS.pilot }, data: { anonymous: true } });
    cycle = await answeredPilotRetro(core.deps, core.clock, () =>
      database.prisma.project.update({ where: { id: DEMO_IDS.implementation }, data: { active: false } }),
    );
    expect(await database.prisma.answer.count({ where: { cycleId: cycle.id, personId: { not: null } } })).toBe(0);
  });

  afterAll(async () => {
    await core?.close();
    await database?.drop();
  });

  it("the lead closes the answer window early: the channel gets the answers grouped by theme, without names", async () => {
    const refused = await say(DEMO_IDS.lotte, "retro groeperen");
    expect(textOf(refused[0])).toBe(nl("errors.lead-only"));
    const [started] = await say(DEMO_IDS.sanne, "retro groeperen");
    expect(textOf(started)).toBe(nl("sense.started"));
    const message = await senseMessage();
    const text = textOf(message);
    expect(text).toContain("Gebruikers en inwoners betrekken");
    expect(text).toContain("Datakwaliteit");
    expect(text).toContain("Bewoners uitnodigen voor de wijkavond");
    for (const name of ["Ahmed", "Lotte", "Emma", "Sanne"]) expect(text).not.toContain(name);
    // The summary leaves the grouped answers to this message, and its actions to the vote.
    const [summary] = await core.deps.stores.outbox.withKeyPrefixes(DEMO_IDS.organisation, [`summary:${cycle.id}:web`]);
    expect(textOf(summary?.message)).toContain(nl("sense.summary.grouped"));
    expect(await database.prisma.actionItem.count({ where: { cycleId: cycle.id } })).toBe(0);
  });

  it("a member may not merge groups; the lead merges and splits, and the message changes in place", async () => {
    const before = await groups();
    expect(before.length).toBeGreaterThanOrEqual(3);
    const [first, second] = before as [SenseGroupRecord, SenseGroupRecord];
    const [refused] = await say(DEMO_IDS.ahmed, `samenvoegen ${second.position} ${first.position}`);
    expect(textOf(refused)).toBe(nl("errors.lead-only"));
    expect(await groups()).toHaveLength(before.length);

    const [merged] = await say(DEMO_IDS.sanne, `samenvoegen ${second.position} ${first.position}`);
    expect(textOf(merged)).toBe(nl("sense.merged", { from: second.position, into: first.position }));
    const after = await groups();
    expect(after).toHaveLength(before.length - 1);
    expect(after[0]?.answers).toHaveLength(first.answers.length + second.answers.length);

    const [split] = await say(DEMO_IDS.sanne, `splitsen ${first.position}.1`);
    const last = Math.max(...before.map((group) => group.position)) + 1;
    expect(textOf(split)).toBe(nl("sense.split", { answer: `${first.position}.1`, number: last }));
    const now = await groups();
    expect(now.at(-1)?.position).toBe(last);
    expect(textOf(await senseMessage())).toContain(`${last}. ${nl("sense.group.no-theme")}`);
    const [unclear] = await say(DEMO_IDS.sanne, "splitsen twee");
    expect(textOf(unclear)).toBe(nl("sense.split-unclear"));
  });

  it("the lead sets the votes per member for the next voting; a member may not", async () => {
    expect(textOf((await say(DEMO_IDS.ahmed, "stemmen 5"))[0])).toBe(nl("errors.lead-only"));
    expect(textOf((await say(DEMO_IDS.sanne, "stemmen 5"))[0])).toBe(nl("sense.votes-set", { count: 5 }));
    expect(await core.deps.stores.sense.votesEach(DEMO_IDS.pilot)).toBe(5);
    expect(textOf((await say(DEMO_IDS.sanne, "stemmen elf"))[0])).toBe(nl("sense.votes-unclear"));
    // The voting under way keeps the number it opened with.
    expect((await core.deps.stores.sense.session(cycle.id))?.votesEach).toBe(3);
  });

  it("a vote counts once, however often it is clicked, and the voter alone hears how many are left", async () => {
    const [group] = await groups();
    const [counted] = await vote(DEMO_IDS.lotte, group?.id ?? "");
    expect(textOf(counted)).toContain(nl("sense.voted", { count: 2 }));
    const [again] = await vote(DEMO_IDS.lotte, group?.id ?? "");
    expect(textOf(again)).toContain(nl("sense.already", { count: 2 }));
    expect(again?.blocks.some((block) => block.type === "actions")).toBe(true);
    expect((await groups())[0]?.votes).toBe(1);
    // Totals stay secret while the voting is open.
    expect(textOf(await senseMessage())).not.toMatch(/stem(men)?\b.*—|— \d/);
    const [back] = await event(DEMO_IDS.lotte, { type: "action", actionId: "sense.unvote", value: group?.id ?? "" });
    expect(textOf(back)).toBe(nl("sense.unvoted", { count: 3 }));
    expect((await groups())[0]?.votes).toBe(0);
  });

  it("closes when everyone used their votes: ranked totals, the top three proposed as team actions", async () => {
    const all = await groups();
    expect(all.length).toBeGreaterThanOrEqual(4);
    // Groups 1 and 2 (as listed) get four votes each, 3 and 4 two each; the Dutch-speaking lead votes last.
    const choice: [string, number[]][] = [
      [DEMO_IDS.ahmed, [0, 1, 3]],
      [DEMO_IDS.lotte, [0, 2, 1]],
      [DEMO_IDS.emma, [1, 0, 3]],
      [DEMO_IDS.sanne, [0, 1, 2]],
    ];
    let lastReply: Message | undefined;
    for (const [person, picks] of choice) {
      for (const pick of picks) [lastReply] = await vote(person, (all[pick] as SenseGroupRecord).id);
    }
    expect(textOf(lastReply)).toContain(nl("sense.everyone-voted"));
    const session = await core.deps.stores.sense.session(cycle.id);
    expect(session?.closedAt).not.toBeNull();
    const text = textOf(await senseMessage());
    expect(text).toContain(nl("sense.result.voters", { count: 4 }));
    expect(text).toContain(nl("sense.result.votes", { count: 4 }));
    expect(text).not.toContain(nl("sense.vote", { number: 1 }));
    const actions = await database.prisma.actionItem.findMany({ where: { cycleId: cycle.id } });
    expect(actions).toHaveLength(3);
    expect(await database.prisma.actionOwner.count({ where: { action: { cycleId: cycle.id } } })).toBe(0);
    // A late click changes nothing.
    const [late] = await vote(DEMO_IDS.emma, (all[2] as SenseGroupRecord).id);
    expect(textOf(late)).toBe(prompts.t("en", "sense.closed"));
  });
});
