// The fake Slack Web API of bench/slack-ack.ts in a process of its own, as Slack's servers are
// not in Leerlus's: the calls Leerlus makes after acknowledging (users.info, response_url)
// then cost Leerlus's event loop what a real call would, not the fake's work too.
// The parent sends { team, users }; the child answers { apiUrl, responseUrl } and runs
// until the parent disconnects.
import { fork } from "node:child_process";
import { startFakeSlackApi } from "../test/support/fake-slack-api.ts";

type Setup = { team: { id: string; name: string }; users: string[] };
type Ready = { apiUrl: string; responseUrl: string };

if (process.send && process.argv[2] === "child") {
  process.once("message", async (setup: Setup) => {
    const fake = await startFakeSlackApi(setup.team);
    for (const id of setup.users) fake.users.set(id, { id, name: `Bench ${id}` });
    // Every call is kept by the fake for tests to read; here only the answers matter.
    fake.calls.push = () => 0;
    process.send?.({ apiUrl: fake.apiUrl, responseUrl: fake.responseUrl("bench") } satisfies Ready);
    process.on("disconnect", () => void fake.close().finally(() => process.exit(0)));
  });
}

/** Starts the fake Slack API in a child process. */
export async function startSlackApiProcess(setup: Setup): Promise<Ready & { close(): Promise<void> }> {
  const child = fork(import.meta.filename, ["child"], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once("error", reject);
    child.once("message", (message: Ready) => resolve(message));
    child.send(setup);
  });
  return {
    ...ready,
    close: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.disconnect();
      }),
  };
}
