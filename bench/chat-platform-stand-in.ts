// The chat platform's stand-in for bench/fanout.ts, in its own process as the real platform
// is: counts every POST by outbox id and by conversation, and tells the bench over IPC.
import { randomUUID } from "node:crypto";
import { type AddressInfo, createServer, type Socket } from "node:net";

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

/** Counts one POST /send and answers as the platform would: with the message's id. */
function record(body: string): string {
  const { key, conversationRef } = JSON.parse(body) as { key: string; conversationRef: string };
  byKey.set(key, (byKey.get(key) ?? 0) + 1);
  byConversation.set(conversationRef, (byConversation.get(conversationRef) ?? 0) + 1);
  if (conversationRef.startsWith("web:dm:")) {
    prompts++;
    checkTarget();
  }
  return JSON.stringify({ ts: randomUUID() });
}

const HEAD_END = Buffer.from("\r\n\r\n");

// HTTP/1.1 with keep-alive, read straight off the socket. The platform's CPU is not ours to
// spend in production, but here it shares the machine's two cores with the worker, and
// node:http's server took about 40 µs per request against 15 here.
// Requests may arrive split across reads or several in one; anything but a POST /send with
// a Content-Length gets a 400 and the connection closed.
const server = createServer((socket: Socket) => {
  let pending: Buffer = Buffer.alloc(0);
  socket.on("data", (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let replies = "";
    for (;;) {
      const headEnd = pending.indexOf(HEAD_END);
      if (headEnd < 0) break;
      const head = pending.toString("latin1", 0, headEnd);
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1]);
      if (!head.startsWith("POST /send HTTP/1.1\r\n") || !Number.isInteger(length)) {
        socket.end("HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
        return;
      }
      const end = headEnd + HEAD_END.length + length;
      if (pending.length < end) break;
      const reply = record(pending.toString("utf8", headEnd + HEAD_END.length, end));
      replies += `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(reply)}\r\n\r\n${reply}`;
      pending = pending.subarray(end);
    }
    if (replies) socket.write(replies);
  });
  socket.on("error", () => socket.destroy());
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
    // Kept-alive connections would hold server.close() open; nothing here needs a goodbye.
    process.exit(0);
  }
});
