import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createWebAdapter, type WebAdapter } from "../../adapters/web/create-web-adapter.ts";
import { renderMessageHtml } from "../../adapters/web/render-html.ts";
import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import type { Locale } from "../../src/domain/locale.ts";
import type { Message } from "../../src/domain/message.ts";
import { createWebMessageRepository } from "../../src/persistence/web-message-repository.ts";
import { DeliveryError, type EventHandler } from "../../src/ports/chat-adapter.ts";
import type { Logger } from "../../src/ports/logger.ts";
import type { WebDirectory } from "../../src/ports/web-message-store.ts";
import { createRedisNotifier, type RedisNotifier } from "../../src/scheduler/redis-notifier.ts";
import { createLinkSigner } from "../../src/use-cases/signed-link.ts";
import { REDIS_URL } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

// --- fixtures -----------------------------------------------------------------

const ALICE_DM = "web:dm:alice";
const BOB_DM = "web:dm:bob";
const CHANNEL_A = "web:channel:project-a";
const CHANNEL_B = "web:channel:project-b";

const people = {
  alice: { id: "alice", organisationId: "org-1", displayName: "Alice <script>x</script>", locale: "nl" as Locale },
  bob: { id: "bob", organisationId: "org-1", displayName: "Bob", locale: "en" as Locale },
  carol: { id: "carol", organisationId: "org-1", displayName: "Carol", locale: "en" as Locale },
};
const conversations: Record<string, { ref: string; kind: "direct" | "channel"; title: string }[]> = {
  alice: [
    { ref: ALICE_DM, kind: "direct", title: "Leerlus" },
    { ref: CHANNEL_A, kind: "channel", title: "Project A" },
  ],
  bob: [
    { ref: BOB_DM, kind: "direct", title: "Leerlus" },
    { ref: CHANNEL_B, kind: "channel", title: "Project B" },
  ],
  carol: [{ ref: CHANNEL_A, kind: "channel", title: "Project A" }],
};

const directory: WebDirectory = {
  async person(id) {
    return people[id as keyof typeof people] ?? null;
  },
  async personas() {
    return Object.values(people).map((person) => ({ ...person, roles: ["member"] }));
  },
  async conversationsFor(id) {
    return conversations[id] ?? [];
  },
};

/** Reads prompts/web.<locale>.yaml the way the prompt catalog does: namespaced as web.<key>. */
function loadWebText(): (locale: Locale, key: string, vars?: Record<string, string | number>) => string {
  const flatten = (tree: Record<string, unknown>, prefix: string, into: Map<string, string>) => {
    for (const [name, value] of Object.entries(tree)) {
      if (typeof value === "string") into.set(`${prefix}.${name}`, value);
      else flatten(value as Record<string, unknown>, `${prefix}.${name}`, into);
    }
    return into;
  };
  const tables = new Map(
    (["nl", "en"] as const).map((locale) => [
      locale,
      flatten(parse(readFileSync(`prompts/web.${locale}.yaml`, "utf8")), "web", new Map()),
    ]),
  );
  return (locale, key, vars = {}) => {
    const template = tables.get(locale)?.get(key);
    if (template === undefined) throw new Error(`missing ${key}`);
    return template.replace(/\{(\w+)\}/g, (_whole, name: string) => String(vars[name]));
  };
}

type LogEntry = { level: string; fields: Record<string, unknown>; message: string };
function recordingLogger(entries: LogEntry[]): Logger {
  const log = (level: string) => (fields: Record<string, unknown>, message: string) =>
    void entries.push({ level, fields, message });
  const logger: Logger = {
    debug: log("debug"),
    info: log("info"),
    warn: log("warn"),
    error: log("error"),
    child: () => logger,
  };
  return logger;
}

const paragraph = (
  ...text: Message["blocks"][number] extends infer B
    ? B extends { type: "paragraph"; text: infer T }
      ? T
      : never
    : never
): Message => ({
  fallback: "message",
  blocks: [{ type: "paragraph", text }],
});

// --- servers --------------------------------------------------------------------

type Running = { web: WebAdapter; base: string; close(): Promise<void> };

let database: TestDatabase;
let notifier: RedisNotifier;
const events: InboundEvent[] = [];
const logs: LogEntry[] = [];
const linkSigner = createLinkSigner("link-secret-for-tests-0123456789");
let live: Running;
let demo: Running;

const handler: EventHandler = async (event) => {
  events.push(event);
  if (event.type === "command" && event.text === "boom")
    throw Object.assign(new Error("alice's secret answer"), { code: "TEST_FAILURE" });
  const said = event.type === "command" ? event.text : event.type;
  return [paragraph("Reply: ", { user: said })];
};

async function startServer(isDemo: boolean): Promise<Running> {
  const web = createWebAdapter({
    store: createWebMessageRepository(database.db),
    notifier,
    directory,
    linkSigner,
    demo: isDemo,
    text: loadWebText(),
    sessionSecret: "session-secret-for-tests-0123456789",
    logger: recordingLogger(logs),
  });
  await web.adapter.start(handler);
  const app = express();
  app.use(web.router);
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    web,
    base: `http://127.0.0.1:${port}`,
    async close() {
      await web.adapter.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

beforeAll(async () => {
  database = await createTestDatabase();
  notifier = createRedisNotifier({
    redisUrl: REDIS_URL,
    channel: `leerlus-test-web-${randomBytes(6).toString("hex")}`,
  });
  live = await startServer(false);
  demo = await startServer(true);
});

afterAll(async () => {
  await live?.close();
  await demo?.close();
  await notifier?.close();
  await database?.drop();
});

beforeEach(() => {
  events.length = 0;
  logs.length = 0;
});

// --- helpers --------------------------------------------------------------------

function link(personId: string, options: { purpose?: string; expiresAt?: Date } = {}): string {
  return linkSigner.sign({
    personId,
    purpose: options.purpose ?? "web",
    expiresAt: options.expiresAt ?? new Date(Date.now() + 60_000),
  });
}

async function signIn(personId: string, server: Running = live): Promise<string> {
  const response = await fetch(`${server.base}/?link=${encodeURIComponent(link(personId))}`, { redirect: "manual" });
  expect(response.status).toBe(303);
  return sessionCookie(response);
}

function sessionCookie(response: Response): string {
  const header = response.headers.get("set-cookie") ?? "";
  const match = /leerlus_web=[^;]+/.exec(header);
  if (!match) throw new Error("no session cookie");
  return match[0];
}

function messagesUrl(ref: string, server: Running = live): string {
  return `${server.base}/web/api/conversations/${encodeURIComponent(ref)}/messages`;
}

async function listMessages(cookie: string, ref: string): Promise<{ id: string; seq: string; html: string }[]> {
  const response = await fetch(messagesUrl(ref), { headers: { cookie } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { messages: { id: string; seq: string; html: string }[] }).messages;
}

function postJson(path: string, cookie: string, body: unknown): Promise<Response> {
  return fetch(`${live.base}${path}`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

type SseEvent = { id?: string; event: string; data: string };

/** A minimal SSE client over fetch, so the test can send Last-Event-ID itself. */
async function openEvents(cookie: string, lastEventId?: string) {
  const controller = new AbortController();
  const headers: Record<string, string> = { cookie };
  if (lastEventId) headers["last-event-id"] = lastEventId;
  const response = await fetch(`${live.base}/web/api/events`, { headers, signal: controller.signal });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  return {
    async next(type: string, timeoutMs = 5000): Promise<SseEvent> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const parsed: SseEvent = { event: "message", data: "" };
          for (const line of block.split("\n")) {
            if (line.startsWith("id: ")) parsed.id = line.slice(4);
            else if (line.startsWith("event: ")) parsed.event = line.slice(7);
            else if (line.startsWith("data: ")) parsed.data += line.slice(6);
          }
          if (parsed.event === type) return parsed;
          end = buffer.indexOf("\n\n");
        }
        const remaining = deadline - Date.now();
        if (remaining <= 0) throw new Error(`no ${type} event in time`);
        const chunk = await Promise.race([
          reader.read(),
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no ${type} event in time`)), remaining)),
        ]);
        if (chunk.done) throw new Error("stream ended");
        buffer += decoder.decode(chunk.value, { stream: true });
      }
    },
    close() {
      controller.abort();
    },
  };
}

// --- tests ----------------------------------------------------------------------

describe("web adapter: sending", () => {
  it("stores what is sent and lists it in the conversation", async () => {
    const id = await live.web.adapter.send(CHANNEL_A, paragraph("Retro opens today"));
    const listed = await listMessages(await signIn("alice"), CHANNEL_A);
    const message = listed.find((item) => item.id === id);
    expect(message?.html).toContain("Retro opens today");
    expect(message?.seq).toMatch(/^\d+$/);
  });

  it("updates a sent message in place", async () => {
    const id = await live.web.adapter.send(CHANNEL_A, paragraph("Version one"));
    await live.web.adapter.update(id, paragraph("Version two"));
    const listed = await listMessages(await signIn("carol"), CHANNEL_A);
    const message = listed.find((item) => item.id === id);
    expect(message?.html).toContain("Version two");
    expect(message?.html).not.toContain("Version one");
  });

  it("fails with non-retryable DeliveryErrors for unknown messages and foreign refs", async () => {
    const unknown = live.web.adapter.update("00000000-0000-0000-0000-000000000000", paragraph("x"));
    await expect(unknown).rejects.toBeInstanceOf(DeliveryError);
    await expect(unknown).rejects.toMatchObject({ retryable: false });
    await expect(live.web.adapter.send("slack:C123", paragraph("x"))).rejects.toMatchObject({ retryable: false });
  });

  it("opens direct conversations as web:dm:<personId>", async () => {
    expect(live.web.adapter.platform).toBe("web");
    expect(await live.web.adapter.openDirect({ tenantId: "org-1", platformUserId: "bob" })).toBe(BOB_DM);
  });
});

describe("web adapter: inbound events and replies", () => {
  it("turns a command into an InboundEvent and shows the reply only to its sender", async () => {
    const alice = await signIn("alice");
    const response = await postJson("/web/api/command", alice, { conversationRef: CHANNEL_A, text: "retro now" });
    expect(response.status).toBe(200);
    const { replies } = (await response.json()) as { replies: { id: string; html: string }[] };
    // What Alice typed comes first, as her own bubble, then the reply.
    expect(replies).toHaveLength(2);
    expect(replies[0]?.html).toMatch(/^<article class="msg msg-own"[^>]*>.*<span class="user-text">retro now<\/span>/);
    expect(events).toEqual([
      {
        type: "command",
        text: "retro now",
        // Typed in a team channel: never taken as a retro answer.
        direct: false,
        platform: "web",
        tenantId: "org-1",
        platformUserId: "alice",
        conversationRef: CHANNEL_A,
      },
    ]);
    for (const { id } of replies) {
      expect((await listMessages(alice, CHANNEL_A)).map((item) => item.id)).toContain(id);
      expect((await listMessages(await signIn("carol"), CHANNEL_A)).map((item) => item.id)).not.toContain(id);
    }
  });

  it("turns buttons and forms into action and formSubmitted events", async () => {
    const alice = await signIn("alice");
    expect(
      (await postJson("/web/api/action", alice, { conversationRef: ALICE_DM, actionId: "snooze", value: "7" })).status,
    ).toBe(200);
    const form = { conversationRef: ALICE_DM, actionId: "retro.submit", value: "cycle-1", answers: { went: "ok" } };
    expect((await postJson("/web/api/form", alice, form)).status).toBe(200);
    expect(events.map((event) => event.type)).toEqual(["action", "formSubmitted"]);
    expect(events[1]).toMatchObject({ actionId: "retro.submit", value: "cycle-1", answers: { went: "ok" } });
  });

  it("answers 500 with a code when the handler fails, and logs no personal data", async () => {
    const alice = await signIn("alice");
    const response = await postJson("/web/api/command", alice, { conversationRef: ALICE_DM, text: "boom" });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: { code: "HANDLER_FAILED", message: expect.any(String) } });
    const logged = JSON.stringify(logs);
    expect(logged).toContain("WEB_HANDLER_FAILED");
    expect(logged).not.toMatch(/alice|secret answer|boom/i);
  });
});

describe("web adapter: access", () => {
  it("answers 401 without a session, for the page and every API", async () => {
    const page = await fetch(`${live.base}/`, { headers: { "accept-language": "en" } });
    expect(page.status).toBe(401);
    const html = await page.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain("Please sign in");
    const dutch = await fetch(`${live.base}/`, { headers: { "accept-language": "nl-NL,nl;q=0.9" } });
    expect(await dutch.text()).toContain("Log eerst in");

    for (const path of [
      "/web/api/me",
      "/web/api/events",
      `/web/api/conversations/${encodeURIComponent(ALICE_DM)}/messages`,
    ]) {
      const response = await fetch(`${live.base}${path}`);
      expect(response.status, path).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: "NOT_SIGNED_IN" } });
    }
    const post = await postJson("/web/api/command", "", { conversationRef: ALICE_DM, text: "help" });
    expect(post.status).toBe(401);
    expect(events).toHaveLength(0);
  });

  it("refuses a tampered session cookie", async () => {
    const cookie = await signIn("alice");
    const tampered = `${cookie.slice(0, -2)}${cookie.endsWith("AA") ? "BB" : "AA"}`;
    expect((await fetch(`${live.base}/web/api/me`, { headers: { cookie: tampered } })).status).toBe(401);
  });

  it("sets an HttpOnly, SameSite=Lax, 12-hour session cookie from a signed link", async () => {
    const response = await fetch(`${live.base}/?link=${encodeURIComponent(link("bob"))}`, { redirect: "manual" });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/");
    const header = response.headers.get("set-cookie") ?? "";
    expect(header).toMatch(/HttpOnly/);
    expect(header).toMatch(/SameSite=Lax/);
    expect(header).toMatch(/Max-Age=43200/);
    const page = await fetch(`${live.base}/`, { headers: { cookie: sessionCookie(response) } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain("Project B");
    expect(html).not.toContain('name="as"');
  });

  it("refuses altered, expired and wrong-purpose links", async () => {
    const good = link("alice");
    const altered = `${good.slice(0, 5)}${good[5] === "A" ? "B" : "A"}${good.slice(6)}`;
    const expired = link("alice", { expiresAt: new Date(Date.now() - 1000) });
    const wrongPurpose = link("alice", { purpose: "export" });
    for (const token of [altered, wrongPurpose, "garbage"]) {
      const response = await fetch(`${live.base}/?link=${encodeURIComponent(token)}`, {
        redirect: "manual",
        headers: { "accept-language": "en" },
      });
      expect(response.status).toBe(401);
      expect(response.headers.get("set-cookie")).toBeNull();
      expect(await response.text()).toContain("not valid");
    }
    const response = await fetch(`${live.base}/?link=${encodeURIComponent(expired)}`, {
      redirect: "manual",
      headers: { "accept-language": "en" },
    });
    expect(response.status).toBe(401);
    expect(await response.text()).toContain("expired");
  });

  it("refuses ?as= outside demo mode", async () => {
    const response = await fetch(`${live.base}/?as=alice`, { redirect: "manual" });
    expect(response.status).toBe(403);
    expect(response.headers.get("set-cookie")).toBeNull();
  });

  it("lets a demo visitor choose a persona with ?as= and shows the switcher", async () => {
    const chooser = await fetch(`${demo.base}/`);
    expect(chooser.status).toBe(200);
    expect(await chooser.text()).toContain('href="/?as=bob"');
    const chosen = await fetch(`${demo.base}/?as=bob`, { redirect: "manual" });
    expect(chosen.status).toBe(303);
    const page = await fetch(`${demo.base}/`, { headers: { cookie: sessionCookie(chosen) } });
    const html = await page.text();
    expect(html).toContain('<select id="persona" name="as">');
    expect(html).toContain('<option value="bob" selected>');
    expect((await fetch(`${demo.base}/?as=nobody`, { redirect: "manual" })).status).toBe(404);
  });

  it("names the personas' roles in the viewer's language", async () => {
    const chosen = await fetch(`${demo.base}/?as=alice`, { redirect: "manual" });
    const html = await (await fetch(`${demo.base}/`, { headers: { cookie: sessionCookie(chosen) } })).text();
    expect(html).toContain(">Bob (lid)</option>");
    expect(html).not.toContain("(member)");
  });

  it("answers 403 for someone else's conversation", async () => {
    const alice = await signIn("alice");
    const read = await fetch(messagesUrl(CHANNEL_B), { headers: { cookie: alice } });
    expect(read.status).toBe(403);
    expect(await read.json()).toMatchObject({ error: { code: "CONVERSATION_FORBIDDEN" } });
    expect((await postJson("/web/api/command", alice, { conversationRef: BOB_DM, text: "help" })).status).toBe(403);
    expect(events).toHaveLength(0);
  });

  it("answers 400 with a coded JSON error for malformed bodies", async () => {
    const alice = await signIn("alice");
    const bad: [string, unknown][] = [
      ["/web/api/command", "{not json"],
      ["/web/api/command", { conversationRef: ALICE_DM }],
      ["/web/api/command", { conversationRef: ALICE_DM, text: "   " }],
      ["/web/api/command", { conversationRef: 42, text: "help" }],
      ["/web/api/command", [1, 2]],
      ["/web/api/command", "null"],
      ["/web/api/command", { conversationRef: "slack:C1", text: "help" }],
      ["/web/api/action", { conversationRef: ALICE_DM, actionId: "", value: "x" }],
      ["/web/api/form", { conversationRef: ALICE_DM, actionId: "a", value: "v", answers: { q: 5 } }],
      ["/web/api/form", { conversationRef: ALICE_DM, actionId: "a", value: "v", answers: "nope" }],
    ];
    for (const [path, body] of bad) {
      const response = await postJson(path, alice, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      const json = (await response.json()) as { error: { code: string; message: string } };
      expect(json.error.code).toMatch(/^[A-Z_]+$/);
      expect(typeof json.error.message).toBe("string");
    }
    const plainText = await fetch(`${live.base}/web/api/command`, {
      method: "POST",
      headers: { cookie: alice, "content-type": "text/plain" },
      body: JSON.stringify({ conversationRef: ALICE_DM, text: "help" }),
    });
    expect(plainText.status).toBe(400);
    const badSeq = await fetch(`${messagesUrl(ALICE_DM)}?afterSeq=abc`, { headers: { cookie: alice } });
    expect(badSeq.status).toBe(400);
    expect(events).toHaveLength(0);
  });

  it("lists the person and their conversations", async () => {
    const response = await fetch(`${live.base}/web/api/me`, { headers: { cookie: await signIn("bob") } });
    expect(await response.json()).toEqual({
      person: { id: "bob", displayName: "Bob", locale: "en" },
      conversations: conversations.bob,
      demo: false,
    });
  });
});

describe("web adapter: HTML", () => {
  it("escapes <script> in bot copy and <!channel> in user text", async () => {
    const id = await live.web.adapter.send(
      ALICE_DM,
      paragraph("<script>alert(1)</script> said: ", { user: '<!channel> <b>hi</b> & "bye"' }),
    );
    const html = (await listMessages(await signIn("alice"), ALICE_DM)).find((item) => item.id === id)?.html ?? "";
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<!channel>");
    expect(html).not.toContain("<b>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain(
      '<span class="user-text">&lt;!channel&gt; &lt;b&gt;hi&lt;/b&gt; &amp; &quot;bye&quot;</span>',
    );
  });

  it("escapes the person's name on the page", async () => {
    const html = await (await fetch(`${live.base}/`, { headers: { cookie: await signIn("alice") } })).text();
    expect(html).toContain("Alice &lt;script&gt;x&lt;/script&gt;");
    expect(html).not.toContain("<script>x</script>");
    expect(html).toContain('<html lang="nl">');
  });

  it("renders forms as labelled, keyboard-usable HTML forms", () => {
    const t = (key: string, vars?: Record<string, string | number>) => loadWebText()("en", `web.${key}`, vars);
    const html = renderMessageHtml(
      {
        id: "m1",
        seq: "1",
        message: {
          fallback: "retro",
          blocks: [
            {
              type: "form",
              formId: "retro-1",
              title: "Retro <1>",
              submit: { actionId: "retro.submit", label: "Send", value: "c1" },
              inputs: [
                { kind: "text", key: "went-well", label: "What went well?", required: true, maxLength: 500 },
                { kind: "multiline", key: "change", label: "Change", required: false, maxLength: 2000, value: "<x>" },
                {
                  kind: "scale",
                  key: "learning-score",
                  label: "How much did you learn?",
                  required: true,
                  min: 1,
                  max: 5,
                  minLabel: "little",
                  maxLabel: "a lot",
                },
              ],
            },
          ],
        },
      },
      t,
    );
    expect(html).toMatch(/<form class="msg-form"[^>]*data-action-id="retro.submit"/);
    expect(html).toContain("Retro &lt;1&gt;");
    expect(html).toMatch(/<label for="m1-0-in0">What went well\?/);
    expect(html).toMatch(/<input type="text" id="m1-0-in0" name="went-well" maxlength="500"[^>]* required/);
    expect(html).toContain("&lt;x&gt;</textarea>");
    expect(html).toMatch(/<fieldset class="field scale"[^>]*><legend>How much did you learn\?/);
    expect(html.match(/type="radio"/g)).toHaveLength(5);
    expect(html).toContain("1 = little, 5 = a lot");
    expect(html).toContain('<button type="submit" class="btn"');
  });
});

describe("web adapter: server-sent events", () => {
  it("pushes new and updated messages of visible conversations and resumes from Last-Event-ID", async () => {
    const alice = await signIn("alice");
    const stream = await openEvents(alice);
    const ready = await stream.next("ready");
    expect(ready.id).toMatch(/^\d+$/);

    await live.web.adapter.send(CHANNEL_B, paragraph("for project B only"));
    const id = await live.web.adapter.send(CHANNEL_A, paragraph("live hello"));
    const pushed = await stream.next("web-message");
    const data = JSON.parse(pushed.data) as { id: string; seq: string; conversationRef: string; html: string };
    expect(data).toMatchObject({ id, conversationRef: CHANNEL_A });
    expect(data.html).toContain("live hello");
    expect(pushed.id).toBe(data.seq);

    await live.web.adapter.update(id, paragraph("live hello, edited"));
    const updated = JSON.parse((await stream.next("web-message")).data) as { id: string; html: string };
    expect(updated.id).toBe(id);
    expect(updated.html).toContain("edited");
    stream.close();

    const missed = await live.web.adapter.send(ALICE_DM, paragraph("while you were away"));
    const resumed = await openEvents(alice, pushed.id);
    const replay = JSON.parse((await resumed.next("web-message")).data) as { id: string };
    expect(replay.id).toBe(missed);
    resumed.close();
  });
});

describe("web message repository", () => {
  it("lists the most recent visible messages in ascending seq, after a cursor", async () => {
    const store = createWebMessageRepository(database.db);
    const ref = "web:channel:repo-test";
    const first = await store.append(ref, paragraph("one"));
    const hidden = await store.append(ref, paragraph("for bob"), "bob");
    const second = await store.append(ref, paragraph("two"));
    const third = await store.append(ref, paragraph("three"), "alice");

    const all = await store.list([ref], "alice");
    expect(all.map((item) => item.id)).toEqual([first.id, second.id, third.id]);
    expect(all.map((item) => item.id)).not.toContain(hidden.id);
    expect((await store.list([ref], "alice", { limit: 2 })).map((item) => item.id)).toEqual([second.id, third.id]);
    expect((await store.list([ref], "alice", { afterSeq: first.seq })).map((item) => item.id)).toEqual([
      second.id,
      third.id,
    ]);
    expect(await store.list([], "alice")).toEqual([]);
    expect(await store.replace("00000000-0000-0000-0000-000000000000", paragraph("x"))).toBeNull();
    const replaced = await store.replace(first.id, paragraph("one, again"));
    expect(replaced).toMatchObject({ id: first.id, seq: first.seq, message: paragraph("one, again") });
    await expect(store.list([ref], "alice", { afterSeq: "1; DROP" })).rejects.toMatchObject({
      code: "WEB_SEQ_INVALID",
    });
  });
});

describe("web prompts", () => {
  it("have the same keys and placeholders in nl and en", () => {
    const keys = (locale: string) => {
      const out: string[] = [];
      const walk = (tree: Record<string, unknown>, prefix: string) => {
        for (const [name, value] of Object.entries(tree)) {
          if (typeof value === "string")
            out.push(`${prefix}${name}:${[...value.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()}`);
          else walk(value as Record<string, unknown>, `${prefix}${name}.`);
        }
      };
      walk(parse(readFileSync(`prompts/web.${locale}.yaml`, "utf8")), "");
      return out.sort();
    };
    expect(keys("nl")).toEqual(keys("en"));
  });
});
