// The chat platform's stand-in for bench/fanout.ts, in its own process as the real platform
// is: counts every POST by outbox id and by conversation, and tells the bench over IPC.
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export type StandInMessage =
  | { type: "listening"; port: number }
  | { type: "progress"; prompts: number }
  | { type: "reached"; prompts: number }
  | { type: "report"; byKey: [string, number][]; byConversation: [string, number][] };

const send = (message: StandInMessage) => process.send?.(message);
const byKey = new Map<string, number>();
const byConversation = new Map<string, number>();
let prompts = 0;
let reported = 0;
// The bench waits for this many prompts: told the moment it arrives, not at the next progress.
let target = Number.POSITIVE_INFINITY;
const checkTarget = () => {
  if (prompts < target) return;
  target = Number.POSITIVE_INFINITY;
  send({ type: "reached", prompts });
};

const server = createServer((req, res) => {
  let body = "";
  req.on("data", (chunk) => {
    body += chunk;
  });
  req.on("end", () => {
    const { key, conversationRef } = JSON.parse(body) as { key: string; conversationRef: string };
    byKey.set(key, (byKey.get(key) ?? 0) + 1);
    byConversation.set(conversationRef, (byConversation.get(conversationRef) ?? 0) + 1);
    if (conversationRef.startsWith("web:dm:")) {
      prompts++;
      checkTarget();
    }
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ts: randomUUID() }));
  });
});
// Progress every 10 ms at most: a message per POST would cost the bench more than the POST.
const progress = setInterval(() => {
  if (prompts === reported) return;
  reported = prompts;
  send({ type: "progress", prompts });
}, 10);
server.listen(0, "127.0.0.1", () => send({ type: "listening", port: (server.address() as AddressInfo).port }));
process.on("message", (message: { type: string; prompts?: number }) => {
  if (message.type === "notify") {
    target = message.prompts ?? Number.POSITIVE_INFINITY;
    checkTarget();
  }
  if (message.type === "report") send({ type: "report", byKey: [...byKey], byConversation: [...byConversation] });
  if (message.type === "close") {
    clearInterval(progress);
    server.close(() => process.exit(0));
  }
});
