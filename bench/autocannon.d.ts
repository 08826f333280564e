// autocannon ships no types; this declares the part bench/slack-ack-load.ts uses.
declare module "autocannon" {
  type Options = {
    url: string;
    method?: string;
    duration?: number;
    connections?: number;
    requests?: { method?: string; body?: string; headers?: Record<string, string> }[];
  };
  type Result = {
    latency: { p50: number; p99: number; average: number };
    requests: { total: number };
    non2xx: number;
    errors: number;
  };
  function autocannon(options: Options): Promise<Result>;
  export = autocannon;
}
