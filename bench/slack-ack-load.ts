// The load generator, run as its own process so it does not share the server's event loop.
// Input (argv[2], JSON): url, duration, connections, secret, requests [{ body, contentType }].
// Each request is a new one, as Slack's are: TRIGGER in its body becomes a trigger id of its
// own and it is signed afresh (an exact copy would be refused as a replay, and one with a
// trigger seen before would be recognised as handled, both cheaper than a real request).
// Output (stdout, JSON): p50, p99 and mean latency in ms, requests, non-2xx, errors.
import autocannon from "autocannon";
import { signedHeaders } from "../test/support/slack-requests.ts";

type Input = {
  url: string;
  duration: number;
  connections: number;
  secret: string;
  requests: { body: string; contentType: string }[];
};

const input = JSON.parse(process.argv[2] ?? "{}") as Input;
let sequence = 0;
const result = await autocannon({
  url: input.url,
  method: "POST",
  duration: input.duration,
  connections: input.connections,
  requests: input.requests.map((request) => ({
    method: "POST",
    setupRequest: (prepared: Record<string, unknown>) => {
      const body = request.body.replaceAll("TRIGGER", `${process.pid}.${++sequence}`);
      return { ...prepared, body, headers: signedHeaders(body, request.contentType, { secret: input.secret }) };
    },
  })),
});
console.log(
  JSON.stringify({
    p50: result.latency.p50,
    p99: result.latency.p99,
    mean: result.latency.average,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
  }),
);
