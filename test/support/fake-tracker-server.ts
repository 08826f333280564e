// Plumbing the tracker stand-ins share: a local HTTP server that records each request, reads
// JSON bodies, and can be told to fail the next request of a route.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type TrackerCall = {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  contentType: string | undefined;
  body: unknown;
};

/**
 * `status` answered instead of the route's own answer; with `afterHandling` the route runs
 * first (say a work item is made) and its answer is lost, as when a connection drops.
 */
export type TrackerFailure = { status: number; retryAfter?: string; afterHandling?: boolean };

export type Reply = { status: number; body?: unknown; html?: string; headers?: Record<string, string> };

export type Route = (call: TrackerCall) => Reply | undefined;

export type FakeTrackerServer = {
  base: string;
  calls: TrackerCall[];
  callsTo(method: string, pathPattern: RegExp): TrackerCall[];
  /** The next request whose `METHOD path` matches fails so. */
  failNext(pattern: RegExp, failure: TrackerFailure): void;
  close(): Promise<void>;
};

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function send(response: ServerResponse, reply: Reply): void {
  const headers = { ...reply.headers };
  if (reply.html !== undefined) {
    response.writeHead(reply.status, { "content-type": "text/html; charset=utf-8", ...headers });
    response.end(reply.html);
    return;
  }
  response.writeHead(reply.status, { "content-type": "application/json; charset=utf-8", ...headers });
  response.end(reply.body === undefined ? "" : JSON.stringify(reply.body));
}

export async function startFakeTrackerServer(route: Route): Promise<FakeTrackerServer> {
  const calls: TrackerCall[] = [];
  const failures: { pattern: RegExp; failure: TrackerFailure }[] = [];
  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://fake");
    const call: TrackerCall = {
      method: request.method ?? "GET",
      path: decodeURIComponent(url.pathname),
      query: url.searchParams,
      authorization: request.headers.authorization,
      contentType: request.headers["content-type"],
      body: await readBody(request),
    };
    calls.push(call);
    const index = failures.findIndex((f) => f.pattern.test(`${call.method} ${call.path}`));
    const failure = index >= 0 ? failures.splice(index, 1)[0]?.failure : undefined;
    if (failure && !failure.afterHandling) {
      send(response, { status: failure.status, body: { message: "failing as told" }, headers: retryAfter(failure) });
      return;
    }
    const reply = route(call) ?? { status: 404, body: { message: "no such route" } };
    if (failure) {
      send(response, { status: failure.status, body: { message: "answer lost" }, headers: retryAfter(failure) });
      return;
    }
    send(response, reply);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    calls,
    callsTo: (method, pattern) => calls.filter((call) => call.method === method && pattern.test(call.path)),
    failNext(pattern, failure) {
      failures.push({ pattern, failure });
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function retryAfter(failure: TrackerFailure): Record<string, string> {
  return failure.retryAfter === undefined ? {} : { "retry-after": failure.retryAfter };
}
