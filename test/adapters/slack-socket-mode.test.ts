import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { SlackAdapter } from "../../adapters/slack/create-slack-adapter.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { type FakeSlackApi, startFakeSlackApi } from "../support/fake-slack-api.ts";
import { insertRow } from "../support/fixtures.ts";
import { createTestSlackAdapter } from "../support/slack-test-adapter.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestCore, prompts } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const TEAM = "T0SOCKET";

// Socket Mode, for teams without a public URL: real Bolt connects to a local stand-in of
// Slack's WebSocket endpoint, receives a slash command envelope, acknowledges it and answers.
describe("Slack in Socket Mode", () => {
  let database: TestDatabase;
  let fake: FakeSlackApi;
  let sockets: WebSocket.Server;
  let slack: SlackAdapter;
  let core: ReturnType<typeof createTestCore>;
  const acks: string[] = [];
  let connection: WebSocket | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    fake = await startFakeSlackApi({ id: TEAM, name: "Gemeente Socket" });
    fake.users.set("USOCKET", { id: "USOCKET", name: "Saskia", locale: "nl-NL" });
    sockets = new WebSocket.Server({ port: 0, host: "127.0.0.1" });
    await new Promise<void>((resolve) => sockets.once("listening", () => resolve()));
    fake.socketUrl = `ws://127.0.0.1:${(sockets.address() as AddressInfo).port}/`;
    sockets.on("connection", (socket) => {
      connection = socket;
      socket.on("message", (data) => {
        const message = JSON.parse(String(data)) as { envelope_id?: string };
        if (message.envelope_id) acks.push(message.envelope_id);
      });
      socket.send(JSON.stringify({ type: "hello", num_connections: 1, connection_info: { app_id: "ASOCKET" } }));
    });
    slack = createTestSlackAdapter(fake, database.db, { appToken: "xapp-socket" });
    core = createTestCore(database, [slack.adapter]);
    const organisation = await insertRow(database.db, "Organisation", { name: "Gemeente Socket" });
    await insertRow(database.db, "Install", { organisationId: organisation.id, platform: "slack", tenantId: TEAM });
    await slack.adapter.start((event) => handleEvent(core.deps, event));
    await eventually(() => connection);
  });

  afterAll(async () => {
    await slack?.adapter.stop();
    await new Promise<void>((resolve) => sockets.close(() => resolve()));
    await core?.close();
    await fake?.close();
    await database?.drop();
  });

  it("acknowledges a slash command over the socket and answers it", async () => {
    expect(fake.callsTo("apps.connections.open")[0]?.token).toBe("xapp-socket");
    connection?.send(
      JSON.stringify({
        envelope_id: "env-1",
        type: "slash_commands",
        accepts_response_payload: true,
        payload: {
          token: "x",
          team_id: TEAM,
          team_domain: "socket",
          channel_id: "C0SOCKET",
          channel_name: "innovatie",
          user_id: "USOCKET",
          user_name: "saskia",
          command: "/leerlus",
          text: "help",
          api_app_id: "ASOCKET",
          response_url: fake.responseUrl("socket-1"),
          trigger_id: "trigger-socket",
        },
      }),
    );
    await eventually(() => acks.includes("env-1"));
    const answer = await eventually(() =>
      fake.callsTo("respond").find((call) => String(call.args.responseUrlId).startsWith("socket-1")),
    );
    expect(JSON.stringify(answer.args.blocks)).toContain(prompts.t("nl", "help.title"));
  });
});
