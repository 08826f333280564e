import { beforeAll, describe, expect, it } from "vitest";
import { deriveKey } from "../../src/runtime/secrets.ts";
import { createLinkSigner } from "../../src/use-cases/signed-link.ts";
import { countWhere, oneWhere, rowsWhere } from "../support/fixtures.ts";
import { freePort } from "../support/free-port.ts";
import { channelRef, dmRef } from "../support/seed-teams.ts";
import { eventually } from "../support/test-clock.ts";
import {
  nextReconcile,
  randomQueuePrefix,
  startWorkerProcess,
  tally,
  useSeededTeams,
  webDeliveries,
} from "../support/worker-process.ts";

const SECRET = "robustness-test-secret-0123456789abcdef";

// Two `serve` and two `worker` processes on one Redis and one PostgreSQL, through a whole
// cycle: people answer through either server; nobody gets a message twice or not at all.
describe("two serve and two worker processes", () => {
  const fixture = useSeededTeams({ projects: 2, members: 6, answerWindowMinutes: 30 });
  let servers: string[] = [];

  beforeAll(async () => {
    const { database } = fixture;
    const queuePrefix = randomQueuePrefix();
    const ports = [await freePort(), await freePort()];
    servers = ports.map((port) => `http://127.0.0.1:${port}`);
    fixture.workers.push(
      ...ports.map((port) =>
        startWorkerProcess({ command: "serve", databaseUrl: database.url, queuePrefix, env: { PORT: String(port) } }),
      ),
      startWorkerProcess({ databaseUrl: database.url, queuePrefix }),
      startWorkerProcess({ databaseUrl: database.url, queuePrefix }),
    );
    for (const server of servers) await eventually(async () => (await fetch(`${server}/readyz`)).ok, 30_000);
  }, 60_000);

  it("delivers every prompt and summary exactly once while answers arrive through both servers", async () => {
    const { database, team } = fixture;
    const { db } = database;
    const members = team.memberIds.map(dmRef);
    await eventually(async () => tally(await webDeliveries(db), members, "prompt").exact === members.length, 30_000);

    const signer = createLinkSigner(deriveKey(SECRET, "web-link"));
    const cycles = await rowsWhere(db, "RetroCycle", { status: "open" });
    let statuses: number[] = [];
    for (const [index, personId] of team.memberIds.entries()) {
      const server = servers[index % 2] as string;
      const token = signer.sign({ personId, purpose: "web", expiresAt: new Date(Date.now() + 60_000) });
      const login = await fetch(`${server}/?link=${encodeURIComponent(token)}`, { redirect: "manual" });
      const cookie = login.headers.get("set-cookie")?.split(";")[0] ?? "";
      const membership = await oneWhere(db, "Membership", { personId });
      const cycle = cycles.find((candidate) => candidate.projectId === membership.projectId);
      if (!cycle) throw new Error("no open cycle for the member's project");
      const questions = (cycle.questions as { nl: { key: string; kind: string }[] }).nl;
      const answers = Object.fromEntries(questions.map((q) => [q.key, q.kind === "scale" ? "4" : "Via de server"]));
      const response = await fetch(`${server}/web/api/form`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie },
        body: JSON.stringify({ conversationRef: dmRef(personId), actionId: "retro.answer", value: cycle.id, answers }),
      });
      statuses = [...statuses, response.status];
    }
    expect(statuses.every((status) => status === 200)).toBe(true);

    // Everyone answered: each cycle closes early and its channel gets one summary.
    const channels = team.projectIds.map(channelRef);
    await eventually(async () => tally(await webDeliveries(db), channels, "summary").exact === channels.length, 30_000);
    // Both workers reconcile again (ticks go on meanwhile): any duplicate would show by then.
    await nextReconcile(fixture.workers.filter((process) => process.command === "worker"));
    const deliveries = await webDeliveries(db);
    expect(tally(deliveries, members, "prompt")).toEqual({ exact: members.length, wrong: {} });
    expect(tally(deliveries, channels, "summary")).toEqual({ exact: channels.length, wrong: {} });
    expect(await countWhere(db, "Answer")).toBeGreaterThan(0);
    expect(await countWhere(db, "RetroCycle", { status: "closed" })).toBe(team.projectIds.length);
  }, 120_000);
});
