// Microsoft 365 Agents Playground (npm @microsoft/m365agentsplayground), the local Teams test
// client, run headless: its own HTTP API is what its web page calls (install, type a message,
// press an Action.Execute button), and its websocket streams what the bot posted, as the page
// shows it. It acts as the Bot Connector: the activities it sends name it as serviceUrl.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import WebSocket from "ws";
import { eventually } from "./test-clock.ts";

const CLI = path.resolve(import.meta.dirname, "../../node_modules/@microsoft/m365agentsplayground/cli.js");

export type PlaygroundMessage = {
  /** Where the Playground shows it: a chat, a channel or a channel post's thread. */
  conversationId: string;
  messageId: string;
  /** Set for a new post in a channel: the thread it starts. */
  postConversationId?: string;
  text?: string;
  cards: unknown[];
  updated: boolean;
};

type PlaygroundConfig = {
  tenantId: string;
  bot: { id: string; name: string };
  currentUser: { id: string; name: string; aadObjectId: string };
  personalChat: { id: string };
  teams: { id: string; channels: { id: string; name: string }[] }[];
};

export type AgentsPlayground = {
  url: string;
  config: PlaygroundConfig;
  /** Everything the bot posted or updated, in order. */
  messages: PlaygroundMessage[];
  /** The Playground's "add the app" in a chat or a team's channel. */
  install(conversationId: string): Promise<void>;
  /** The current user types a message; in a channel it starts a new post, whose thread it returns. */
  say(conversationId: string, text: string, mentionBot?: boolean): Promise<{ postConversationId?: string }>;
  /** The current user presses an Action.Execute button of a card the bot posted; the bot's invoke answer. */
  execute(
    message: PlaygroundMessage,
    action: { verb: string; data: Record<string, unknown> },
    conversationId?: string,
  ): Promise<{ status: number; body: unknown }>;
  waitFor(predicate: (message: PlaygroundMessage) => boolean): Promise<PlaygroundMessage>;
  output(): string;
  close(): Promise<void>;
};

export async function startAgentsPlayground(botEndpoint: string, port: number): Promise<AgentsPlayground> {
  // It writes a devTools folder into its working directory.
  const cwd = mkdtempSync(path.join(tmpdir(), "leerlus-playground-"));
  const child: ChildProcess = spawn(
    process.execPath,
    [CLI, "-e", botEndpoint, "-c", "msteams", "-p", String(port), "--disable-telemetry"],
    { cwd, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const listening = await eventually(() => /Listening on (\d+)/.exec(output)?.[1], 30_000).catch((error) => {
    child.kill("SIGKILL");
    throw new Error(`the Agents Playground did not start: ${String(error)}\n${output}`);
  });
  const url = `http://127.0.0.1:${listening}`;
  const config = ((await (await fetch(`${url}/_internal/v1/config`)).json()) as { config: PlaygroundConfig }).config;

  const messages: PlaygroundMessage[] = [];
  const socket = new WebSocket(`ws://127.0.0.1:${listening}/_ws_conversation/v1/conversations/stream`);
  socket.on("message", (data) => {
    const event = JSON.parse(String(data)) as {
      action: string;
      actionConversationId: string;
      message: {
        messageId: string;
        text?: string;
        postConversationId?: string;
        attachments?: { contentType: string; content: unknown }[];
      };
    };
    if (event.action !== "createMessage" && event.action !== "updateMessage") return;
    messages.push({
      conversationId: event.actionConversationId,
      messageId: event.message.messageId,
      ...(event.message.postConversationId ? { postConversationId: event.message.postConversationId } : {}),
      ...(event.message.text ? { text: event.message.text } : {}),
      cards: (event.message.attachments ?? [])
        .filter((attachment) => attachment.contentType === "application/vnd.microsoft.card.adaptive")
        .map((attachment) => attachment.content),
      updated: event.action === "updateMessage",
    });
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });

  const post = async (route: string, body: unknown) => {
    const response = await fetch(`${url}${route}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`Playground ${route} answered ${response.status}: ${text}`);
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const user = { id: config.currentUser.id };

  return {
    url,
    config,
    messages,
    async install(conversationId) {
      await post(`/_debug/conversation/${encodeURIComponent(conversationId)}/installation`, {});
    },
    async say(conversationId, text, mentionBot = false) {
      const mention = `<at>${config.bot.name}</at>`;
      const { body } = await post(`/_conversation/v1/conversations/${encodeURIComponent(conversationId)}/messages`, {
        from: user,
        text: mentionBot ? `${mention} ${text}` : text,
        textFormat: "plain",
        ...(mentionBot ? { mentions: [{ mentioned: { id: config.bot.id }, text: mention }] } : {}),
      });
      return { postConversationId: (body as { postConversationId?: string }).postConversationId };
    },
    async execute(message, action, conversationId) {
      return post("/_conversation/v1/invoke", {
        name: "adaptiveCard/action",
        value: { action: { type: "Action.Execute", verb: action.verb, data: action.data }, trigger: "manual" },
        from: user,
        conversation: { id: conversationId ?? message.postConversationId ?? message.conversationId },
        replyToId: message.messageId,
      });
    },
    waitFor(predicate) {
      return eventually(() => messages.find(predicate), 20_000);
    },
    output: () => output,
    async close() {
      socket.terminate();
      child.kill("SIGTERM");
      await exited;
      rmSync(cwd, { recursive: true, force: true });
    },
  };
}
