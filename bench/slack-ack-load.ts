// The load generator, run as its own process so it does not share the server's event loop.
// Input (argv[2], JSON): url, duration, connections, requests [{ body, headers }].
// Output (stdout, JSON): p50, p99 and mean latency in ms, requests, non-2xx, errors.
import autocannon from "autocannon";

type Input = {
  url: string;
  duration: number;
  connections: number;
  requests: { body: string; headers: Record<string, string> }[];
};

const input = JSON.parse(process.argv[2] ?? "{}") as Input;
const result = await autocannon({
  url: input.url,
  method: "POST",
  duration: input.duration,
  connections: input.connections,
  requests: input.requests.map((request) => ({ method: "POST", body: request.body, headers: request.headers })),
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
