// The figures a process measures itself, in its own prom-client registry: Node's default
// process metrics, and how long deliveries, inbound chat events and database statements
// take. Labels are platforms, event types and outcomes only: never ids or names.
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";
import { DeliveryError } from "../ports/chat-adapter.ts";

export type DeliveryOutcome = "sent" | "throttled" | "retry" | "refused" | "error";

export type ProcessMetrics = {
  registry: Registry;
  /** A send to a chat platform ended after `seconds`. */
  delivery(platform: string, outcome: DeliveryOutcome, seconds: number): void;
  /** An inbound chat event was handled in `seconds`. */
  inbound(platform: string, event: string, seconds: number): void;
  /** A database statement took `seconds`; `sql` is only read for its first keyword. */
  query(sql: string, seconds: number): void;
};

const DATABASE_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const STATEMENTS = new Set(["select", "insert", "update", "delete", "with", "begin", "commit", "rollback"]);

/** The kind of statement (select, insert, …, other): a label with a handful of values. */
export function statementKind(sql: string): string {
  const keyword = /^\s*(?:\/\*[\s\S]*?\*\/\s*)*(\w+)/.exec(sql)?.[1]?.toLowerCase() ?? "";
  return STATEMENTS.has(keyword) ? keyword : "other";
}

/** How a send ended, from what it threw (nothing: sent). */
export function deliveryOutcome(error: unknown): DeliveryOutcome {
  if (error === undefined) return "sent";
  if (!(error instanceof DeliveryError)) return "error";
  if (error.retryAfterMs) return "throttled";
  return error.retryable ? "retry" : "refused";
}

export function createProcessMetrics(): ProcessMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const deliveries = new Counter({
    name: "leerlus_deliveries_total",
    help: "Messages sent to a chat platform, by platform and outcome.",
    labelNames: ["platform", "outcome"],
    registers,
  });
  const deliverySeconds = new Histogram({
    name: "leerlus_delivery_duration_seconds",
    help: "Time a send to a chat platform took, by platform and outcome.",
    labelNames: ["platform", "outcome"],
    registers,
  });
  const inboundEvents = new Counter({
    name: "leerlus_inbound_events_total",
    help: "Chat events received and handled, by platform and event type.",
    labelNames: ["platform", "event"],
    registers,
  });
  const inboundSeconds = new Histogram({
    name: "leerlus_inbound_event_duration_seconds",
    help: "Time handling a chat event took, replies included, by platform and event type.",
    labelNames: ["platform", "event"],
    registers,
  });
  const querySeconds = new Histogram({
    name: "leerlus_db_query_duration_seconds",
    help: "Time a database statement took, by kind of statement.",
    labelNames: ["statement"],
    buckets: DATABASE_BUCKETS,
    registers,
  });
  return {
    registry,
    delivery(platform, outcome, seconds) {
      deliveries.inc({ platform, outcome });
      deliverySeconds.observe({ platform, outcome }, seconds);
    },
    inbound(platform, event, seconds) {
      inboundEvents.inc({ platform, event });
      inboundSeconds.observe({ platform, event }, seconds);
    },
    query(sql, seconds) {
      querySeconds.observe({ statement: statementKind(sql) }, seconds);
    },
  };
}
