// Team actions in the web chat's channel: the retro's action answers are proposed to the team;
// people take them (several owners, a second take counts once), rewrite them, a lead assigns
// them, and the proposal message shows each decision in place. The next retro reviews them
// with their owners. Never is an owner derived from who wrote the answer.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import type { Block, Button, Message } from "../../src/domain/message.ts";
import { plain } from "../../src/domain/message.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import type { CycleRecord } from "../../src/ports/retro-store.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { rowsWhere } from "../support/fixtures.ts";
import { closedRetroWithProposals, openNextRetro } from "../support/proposed-actions.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestCore } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const channel = `web:channel:${DEMO_IDS.pilot}`;
const base = (personId: string, conversationRef = channel) => ({
  platform: "web" as const,
  tenantId: DEMO_IDS.organisation,
  platformUserId: personId,
  conversationRef,
});
const press = (personId: string, actionId: string, value: string): InboundEvent => ({
  ...base(personId),
  type: "action",
  actionId,
  value,
});
const submit = (personId: string, actionId: string, value: string, answers: Record<string, string>): InboundEvent => ({
  ...base(personId, `web:dm:${personId}`),
  type: "formSubmitted",
  actionId,
  value,
  answers,
});
const say = (personId: string, text: string): InboundEvent => ({
  ...base(personId, `web:dm:${personId}`),
  type: "command",
  text,
  direct: true,
});

const buttonsOf = (message: Message): Button[] =>
  message.blocks.flatMap((block) => (block.type === "actions" ? block.buttons : []));
const textOf = (messages: Message[]) =>
  messages.flatMap((message) => message.blocks.map((block) => ("text" in block ? plain(block.text) : ""))).join(" ");
/** The blocks that show one action in a message. */
const actionBlocks = (message: Message, actionId: string): Block[] =>
  message.blocks.filter((block) => "item" in block && block.item === `team-action:${actionId}`);
const actionText = (message: Message, actionId: string) =>
  textOf([{ ...message, blocks: actionBlocks(message, actionId) }]);

describe("team actions in the web chat", () => {
  let database: TestDatabase;
  let core: ReturnType<typeof createTestCore>;
  const adapter = createRecordingAdapter("web");
  let cycle: CycleRecord;
  let actionIds: string[] = [];
  const run = (event: InboundEvent) => handleEvent(core.deps, event);
  /** The proposal message as stored now (what every copy shows). */
  const stored = async (): Promise<Message> => {
    const row = await database.prisma.outboxMessage.findFirstOrThrow({
      where: { key: { startsWith: `team-actions:${cycle.id}:` }, platform: "web" },
      include: { body: true },
    });
    return row.body.message as unknown as Message;
  };
  const owners = async (actionId: string) =>
    (await rowsWhere(database.db, "ActionOwner", { actionId })).map((row) => row.personId).sort();

  beforeAll(async () => {
    database = await createTestDatabase();
    core = createTestCore(database, [adapter]);
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
    ({ cycle } = await closedRetroWithProposals(core, database));
    const proposed = await eventually(() =>
      adapter.sent.find((s) => s.conversationRef === channel && s.text.includes("Nog niemand heeft dit opgepakt")),
    );
    actionIds = [
      ...new Set(
        buttonsOf(proposed.message)
          .filter((b) => b.actionId === "team-action.take")
          .map((b) => b.value),
      ),
    ];
  });

  afterAll(async () => {
    await core?.close();
    await database?.drop();
  });

  it("proposes each action answer to the team, with nobody as owner and no writer named", async () => {
    expect(actionIds).toHaveLength(3);
    const message = await stored();
    for (const id of actionIds) {
      expect(actionText(message, id)).toContain("Nog niemand heeft dit opgepakt");
      const buttons = actionBlocks(message, id).flatMap((block) => (block.type === "actions" ? block.buttons : []));
      expect(buttons.map((b) => b.actionId)).toEqual(["team-action.take", "team-action.rewrite", "team-action.assign"]);
    }
    // Assign is drawn for the lead alone; the writers' names appear nowhere.
    const assign = message.blocks.find(
      (block) => block.type === "actions" && block.buttons.some((b) => b.actionId === "team-action.assign"),
    );
    expect(assign && "onlyFor" in assign ? assign.onlyFor : []).toEqual([DEMO_IDS.sanne]);
    expect(JSON.stringify(message)).not.toMatch(/Lotte Jansen|Ahmed El Amrani|Emma Clarke/);
    const rows = await rowsWhere(database.db, "ActionItem", { cycleId: cycle.id });
    expect(rows.every((row) => row.dueAt !== null && row.dueAt > cycle.closesAt)).toBe(true);
  });

  it("I'll take it makes you an owner and shows you in the message; a second take counts once", async () => {
    const [first = ""] = actionIds;
    const before = adapter.updated.length;
    const replies = await run(press(DEMO_IDS.ahmed, "team-action.take", first));
    expect(replies[0]?.updatesSource).toBe(true);
    expect(textOf(replies.slice(1))).toMatch(/Je hebt deze actie opgepakt/);
    const update = adapter.updated.slice(before).at(-1)?.message as Message;
    expect(actionText(update, first)).toContain("Opgepakt door Ahmed El Amrani");

    const again = await run(press(DEMO_IDS.ahmed, "team-action.take", first));
    const answer = again.filter((reply) => !reply.updatesSource);
    expect(textOf(answer)).toMatch(/al opgepakt, dus er verandert niets/);
    expect(answer.flatMap(buttonsOf).map((b) => [b.actionId, b.value])).toEqual([["team-action.step-back", first]]);
    expect(await owners(first)).toEqual([DEMO_IDS.ahmed]);
  });

  it("two people taking one action at once both become owners, and the message shows both", async () => {
    const [, second = ""] = actionIds;
    await Promise.all([
      run(press(DEMO_IDS.lotte, "team-action.take", second)),
      run(press(DEMO_IDS.emma, "team-action.take", second)),
    ]);
    expect(await owners(second)).toEqual([DEMO_IDS.lotte, DEMO_IDS.emma].sort());
    const shown = actionText(await stored(), second);
    expect(shown).toContain("Lotte Jansen");
    expect(shown).toContain("Emma Clarke");
  });

  it("anyone in the team rewrites a proposal; the message shows the new text and what it said", async () => {
    const [, , third = ""] = actionIds;
    const form = await run(press(DEMO_IDS.emma, "team-action.rewrite", third));
    const block = form[0]?.blocks.find((b) => b.type === "form");
    if (block?.type !== "form") throw new Error("no rewrite form");
    const old = block.inputs[0]?.value as string;
    const done = await run(
      submit(DEMO_IDS.emma, block.submit.actionId, block.submit.value, { text: "Wijkavond plannen" }),
    );
    expect(textOf(done)).toMatch(/Saved. The channel now shows the new text/); // Emma reads English
    const shown = actionText(await stored(), third);
    expect(shown).toContain("Wijkavond plannen");
    expect(shown).toContain(`Herschreven door Emma Clarke. Eerst stond er: ${old}`);
    // An empty text is refused beside its field; the same text changes nothing.
    const empty = await run(submit(DEMO_IDS.emma, block.submit.actionId, third, { text: "  " }));
    expect(empty[0]?.fieldErrors?.text).toBeTruthy();
    expect(
      textOf(await run(submit(DEMO_IDS.emma, block.submit.actionId, third, { text: "Wijkavond plannen" }))),
    ).toMatch(/the text it already has/);
  });

  it("once taken, only its owners may rewrite it: what they agreed to doesn't change under them", async () => {
    const [first = ""] = actionIds;
    const refused = await run(submit(DEMO_IDS.lotte, "team-action.rewrite.submit", first, { text: "Iets anders" }));
    expect(textOf(refused)).toMatch(/al opgepakt door Ahmed El Amrani/);
    expect((await rowsWhere(database.db, "ActionItem", { id: first }))[0]?.previousText).toBeNull();
  });

  it("only a lead assigns; the assigned person becomes an owner, marked as assigned by the lead", async () => {
    const [, , third = ""] = actionIds;
    expect(textOf(await run(press(DEMO_IDS.lotte, "team-action.assign", third)))).toMatch(/Alleen de trekker/);
    expect(
      textOf(await run(submit(DEMO_IDS.lotte, "team-action.assign.submit", third, { person: DEMO_IDS.lotte }))),
    ).toMatch(/Alleen de trekker/);
    expect(await owners(third)).toEqual([]);
    const form = await run(press(DEMO_IDS.sanne, "team-action.assign", third));
    const block = form[0]?.blocks.find((b) => b.type === "form");
    if (block?.type !== "form" || block.inputs[0]?.kind !== "choice") throw new Error("no assign form");
    expect(block.inputs[0].options.map((o) => o.label)).toContain("Lotte Jansen");
    // Someone outside the team is refused, whatever the form sent.
    const outsider = await run(submit(DEMO_IDS.sanne, block.submit.actionId, third, { person: DEMO_IDS.mark }));
    expect(outsider[0]?.fieldErrors?.person).toBeTruthy();
    const done = await run(submit(DEMO_IDS.sanne, block.submit.actionId, third, { person: DEMO_IDS.lotte }));
    expect(textOf(done)).toMatch(/Lotte Jansen is nu eigenaar/);
    const [row] = await rowsWhere(database.db, "ActionOwner", { actionId: third });
    expect([row?.personId, row?.assignedById]).toEqual([DEMO_IDS.lotte, DEMO_IDS.sanne]);
    expect(actionText(await stored(), third)).toContain("Opgepakt door Lotte Jansen");
  });

  it("an owner steps back on purpose, and takes it again", async () => {
    const [first = ""] = actionIds;
    expect(textOf(await run(press(DEMO_IDS.ahmed, "team-action.step-back", first)))).toMatch(/teruggegeven/);
    expect(await owners(first)).toEqual([]);
    expect(actionText(await stored(), first)).toContain("Nog niemand heeft dit opgepakt");
    expect(textOf(await run(press(DEMO_IDS.ahmed, "team-action.step-back", first)))).toMatch(/niets terug te geven/);
    await run(press(DEMO_IDS.ahmed, "team-action.take", first));
    expect(await owners(first)).toEqual([DEMO_IDS.ahmed]);
  });

  it("an owner or the lead moves the due date; others may not", async () => {
    const list = JSON.stringify(await run(say(DEMO_IDS.ahmed, "acties")));
    expect(list).toContain("Ahmed El Amrani");
    const actions = await core.deps.stores.retro.openActions([DEMO_IDS.pilot]);
    const index = actions.findIndex((action) => action.id === actionIds[0]) + 1;
    expect(textOf(await run(say(DEMO_IDS.emma, `acties ${index} uiterlijk 31-12-2099`)))).toMatch(/Only an owner/);
    expect(textOf(await run(say(DEMO_IDS.ahmed, `acties ${index} uiterlijk 31-2-2099`)))).toMatch(/Typ de datum zo/);
    const moved = await run(say(DEMO_IDS.ahmed, `acties ${index} uiterlijk 31-12-2099`));
    expect(textOf(moved)).toMatch(/moet nu uiterlijk .*2099 af zijn/);
    const [row] = await rowsWhere(database.db, "ActionItem", { id: actionIds[0] as string });
    expect(row?.dueAt?.toISOString().slice(0, 10)).toBe("2099-12-31");
    expect(actionText(await stored(), actionIds[0] as string)).toContain("2099");
  });

  it("the next retro starts by reviewing the actions with their owners, who may answer the review", async () => {
    await openNextRetro(core);
    const review = await eventually(() =>
      adapter.sent.find((s) => s.conversationRef === channel && /van de vorige keer: hoe/.test(s.text)),
    );
    const [first = "", second = ""] = actionIds;
    expect(review.text).toContain("Ahmed El Amrani");
    expect(review.text).toContain("Lotte Jansen, Emma Clarke");
    const reviewButtons = review.message.blocks.filter(
      (block) => block.type === "actions" && block.buttons.some((b) => b.value === second),
    );
    expect(reviewButtons.flatMap((block) => ("onlyFor" in block ? (block.onlyFor ?? []) : []))).toEqual(
      expect.arrayContaining([DEMO_IDS.lotte, DEMO_IDS.emma, DEMO_IDS.sanne]),
    );
    expect(textOf(await run(press(DEMO_IDS.emma, "action.done", second)))).toMatch(/Marked as done/);
    // Under review, the agreed text stays as it was agreed.
    expect(textOf(await run(press(DEMO_IDS.ahmed, "team-action.rewrite", first)))).toMatch(
      /kun je niet meer herschrijven/,
    );
  });
});
