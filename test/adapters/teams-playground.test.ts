import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TeamsAdapterConfig } from "../../adapters/teams/teams-config.ts";
import { toLocale } from "../../src/domain/locale.ts";
import { createReceivedEventRepository } from "../../src/persistence/received-event-repository.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { adaptiveCardProblems, cardText, findByType } from "../support/adaptive-card-check.ts";
import { type AgentsPlayground, type PlaygroundMessage, startAgentsPlayground } from "../support/agents-playground.ts";
import { countWhere } from "../support/fixtures.ts";
import { freePort } from "../support/free-port.ts";
import { startTeamsServer, type TeamsServer } from "../support/teams-activities.ts";
import { createTestCore, prompts } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const t = (key: string, vars?: Record<string, string | number>) => prompts.t("en", key, vars);

/** What the Playground's page sends for an Action.Execute: the action's data with the card's inputs merged in. */
function pressed(card: unknown, verb: string, typed: Record<string, string> = {}) {
  const action = findByType(card, "Action.Execute").find((candidate) => candidate.verb === verb);
  if (!action) throw new Error(`no ${verb} button on the card`);
  const inputs = [...findByType(card, "Input.Text"), ...findByType(card, "Input.ChoiceSet")];
  const defaults = Object.fromEntries(
    inputs.filter((input) => input.value !== undefined).map((input) => [String(input.id), String(input.value)]),
  );
  return { verb, data: { ...(action.data as Record<string, unknown>), ...defaults, ...typed } };
}

const withCard = (verb: string) => (message: PlaygroundMessage) =>
  message.cards.some((card) => findByType(card, "Action.Execute").some((action) => action.verb === verb));

// The local anonymous mode with the real Microsoft 365 Agents Playground: it sends activities
// without a token, Leerlus answers through it as the Bot Connector. Leerlus runs on a real HTTP
// server with the real core, database and queues; nothing of Microsoft's is faked.
describe("Leerlus in Microsoft's local Teams test client (TEAMS_LOCAL_ANONYMOUS)", () => {
  let database: TestDatabase;
  let server: TeamsServer;
  let core: ReturnType<typeof createTestCore>;
  let playground: AgentsPlayground;
  let personal: string;
  const channel = () => playground.config.teams[0]?.channels[0]?.id ?? "";

  beforeAll(async () => {
    database = await createTestDatabase();
    const config: TeamsAdapterConfig = {
      appId: "",
      appPassword: "",
      tenantId: undefined,
      appType: "MultiTenant",
      localAnonymous: true,
      text: (locale, key, vars) => prompts.t(locale, key, vars),
      receivedEvents: createReceivedEventRepository(database.db),
    };
    server = await startTeamsServer(config);
    // A Monday morning: within working hours, so prompts go out at once.
    core = createTestCore(database, [server.teams.adapter]);
    await server.teams.adapter.start((event) => handleEvent(core.deps, event));
    playground = await startAgentsPlayground(`${server.url}/api/messages`, await freePort());
    personal = playground.config.personalChat.id;
  }, 60_000);

  afterAll(async () => {
    await playground?.close();
    await server?.teams.adapter.stop();
    await server?.close();
    await core?.close();
    await database?.drop();
  });

  it("is installed in the personal chat and a team's channel, and answers help", async () => {
    await playground.install(personal);
    const welcome = await playground.waitFor((message) => message.conversationId === personal);
    expect(cardText(welcome.cards[0])).toContain(t("welcome.installed").slice(0, 40));
    const founder = await database.prisma.person.findFirstOrThrow({ include: { identities: true } });
    expect(founder.roles).toContain("admin");
    expect(founder.identities[0]?.tenantId).toBe(playground.config.tenantId);

    await playground.install(channel());
    const channelWelcome = await playground.waitFor(
      (message) => message.conversationId === channel() && withCard("setup.open")(message),
    );
    expect(channelWelcome.postConversationId).toBeDefined();

    await playground.say(personal, "help");
    const help = await playground.waitFor((message) => cardText(message.cards[0]).includes(t("help.title")));
    expect(help.conversationId).toBe(personal);
  });

  it("sets the channel up as a project with the setup card", async () => {
    const welcome = await playground.waitFor(withCard("setup.open"));
    await playground.execute(welcome, pressed(welcome.cards[0], "setup.open"));
    const form = await playground.waitFor(withCard("setup.submit"));
    const answer = await playground.execute(
      form,
      pressed(form.cards[0], "setup.submit", { name: "Playground project", phase: "pilot" }),
    );
    // The invoke is answered with the confirmation card, which takes the form's place.
    expect(cardText((answer.body as { value: unknown }).value)).toContain("Playground project");
    expect(findByType((answer.body as { value: unknown }).value, "Action.Execute")).toHaveLength(0);
    const project = await database.prisma.project.findFirstOrThrow({ include: { channels: true, memberships: true } });
    expect(project.name).toBe("Playground project");
    expect(JSON.parse(project.channels[0]?.conversationRef ?? "{}").conversation.id).toBe(channel());
  });

  it("opens a retro from a new post, takes the answers from the retro card and posts the summary", async () => {
    const { postConversationId } = await playground.say(channel(), "retro now", true);
    // The answer stays in the post's thread; the retro's own notice is a new post in the channel.
    const started = await playground.waitFor((message) => cardText(message.cards[0]).includes(t("retro.now.started")));
    expect(started.conversationId).toBe(postConversationId);
    // What Leerlus starts itself speaks the organisation's language: Dutch, unless the install
    // that created the organisation came with another (the Playground's two install activities race).
    const locale = toLocale((await database.prisma.organisation.findFirstOrThrow()).locale);
    const inOrganisation = (key: string, vars?: Record<string, string | number>) => prompts.t(locale, key, vars);
    const notice = await playground.waitFor((message) => cardText(message.cards[0]).startsWith("Retro 1 "));
    expect(notice.conversationId).toBe(channel());

    const prompt = await playground.waitFor(withCard("retro.answer"));
    expect(prompt.conversationId).toBe(personal);
    const inputs = [...findByType(prompt.cards[0], "Input.Text"), ...findByType(prompt.cards[0], "Input.ChoiceSet")];
    const typed = Object.fromEntries(
      inputs.map((input) => [String(input.id), input.type === "Input.ChoiceSet" ? "4" : "We tested with residents"]),
    );
    const answered = await playground.execute(prompt, pressed(prompt.cards[0], "retro.answer", typed));
    const confirmation = (answered.body as { value: unknown }).value;
    expect(cardText(confirmation)).toContain(t("retro.answer.saved", { closes: "" }).slice(0, 20));
    const project = await database.prisma.project.findFirstOrThrow();
    const cycle = await core.deps.stores.retro.latestCycle(project.id);
    expect(await countWhere(database.db, "Answer")).toBe(cycle?.questions.en.length);

    // The schedule's next tick closes the retro: everyone answered.
    await advanceProject(core.deps, project.id);
    const heading = inOrganisation("retro.summary.heading", { sequence: 1, project: "Playground project" });
    const summary = await playground.waitFor((message) => cardText(message.cards[0]).includes(heading));
    expect(summary.conversationId).toBe(channel());
    expect(cardText(summary.cards[0])).toContain(
      inOrganisation("retro.summary.participation", { answered: 1, invited: 1, count: 1 }),
    );
  });

  it("produced only cards the Adaptive Cards library accepts", () => {
    const cards = playground.messages.flatMap((message) => message.cards);
    expect(cards.length).toBeGreaterThan(5);
    for (const card of cards) expect(adaptiveCardProblems(card)).toEqual([]);
  });
});
