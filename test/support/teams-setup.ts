import { expect } from "vitest";
import { findByType } from "./adaptive-card-check.ts";
import type { FakeBotFramework } from "./fake-bot-framework.ts";
import { firstWhere } from "./fixtures.ts";
import {
  APP_ID,
  channelConversation,
  channelPost,
  executeActivity,
  installActivity,
  postActivity,
  type TeamsPerson,
  type TeamsServer,
} from "./teams-activities.ts";
import { eventually } from "./test-clock.ts";
import type { createTestCore } from "./test-core.ts";
import type { TestDatabase } from "./test-database.ts";

export type TeamsSetup = {
  fake: FakeBotFramework;
  server: TeamsServer;
  core: ReturnType<typeof createTestCore>;
  database: TestDatabase;
};

/** Posts an activity signed as Teams would and expects it accepted. */
export async function postToTeams(setup: TeamsSetup, activity: Record<string, unknown>): Promise<void> {
  const response = await postActivity(setup.server.url, activity, setup.fake.token({ appId: APP_ID }));
  expect(response.status).toBe(200);
}

/**
 * The lead adds Leerlus to a team and sets its channel up as a project from the welcome card,
 * in the welcome's thread; returns the project's id.
 */
export async function setUpTeamsProject(
  setup: TeamsSetup,
  lead: TeamsPerson,
  teamId: string,
  name: string,
): Promise<string> {
  const { fake, core, database } = setup;
  const channel = channelConversation(teamId);
  const inChannel = () => fake.calls.filter((call) => call.conversationId === channel.id && call.kind !== "update");
  await postToTeams(setup, installActivity(fake, lead, channel, teamId));
  const welcome = await eventually(() => inChannel()[0]);
  const thread = channelPost(teamId, String(welcome.activityId));
  const open = findByType(welcome.body.attachments[0].content, "Action.Execute").find(
    (action) => action.verb === "setup.open",
  );
  const before = fake.calls.length;
  await postToTeams(
    setup,
    executeActivity(fake, lead, thread, { verb: "setup.open", data: open?.data as Record<string, unknown> }),
  );
  const form = await eventually(() =>
    fake.calls.slice(before).find((call) => findByType(call.body.attachments?.[0]?.content, "Input.Text").length),
  );
  const submit = findByType(form.body.attachments[0].content, "Action.Execute").find(
    (action) => action.verb === "setup.submit",
  );
  const person = await core.deps.stores.directory.personByIdentity("teams", lead.tenantId, lead.aadObjectId);
  await postToTeams(
    setup,
    executeActivity(fake, lead, thread, {
      verb: "setup.submit",
      data: {
        ...(submit?.data as Record<string, unknown>),
        name,
        phase: "explore",
        cadence: "elke 2 weken donderdag 15:00",
        lead: person?.id,
      },
    }),
  );
  const project = await eventually(async () => (await firstWhere(database.db, "Project", { name })) ?? undefined);
  return project.id;
}
