import { defineConfig } from "vitest/config";

// CI asks for a JSON report through the environment, because `npm test` chains
// typecheck, lint and vitest and cannot pass reporter flags to the last step.
const jsonReport = process.env.VITEST_JSON_REPORT;

// Files that start, kill or restart processes and embedded databases keep a process of their
// own each: whatever such a test leaves behind dies with it. Every other file shares its
// worker's loaded modules with the files before it (`isolate: false`), which saves most of the
// time a file otherwise spends importing the app (about 40 % of the suite's time): these files
// close what they open, mock no modules and restore what they stub.
const ownProcess = [
  "test/robustness/**/*.test.ts",
  "test/e2e/demo-process.test.ts",
  "test/e2e/cli-process.test.ts",
  "test/integration/embedded-postgres.test.ts",
  "test/integration/lessons-import-large.test.ts",
  // Hung in CI after another file in the same worker (passes alone, 2 s): kept apart
  // until the shared state it trips on is found.
  "test/e2e/web-chat-keyboard.test.ts",
];

export default defineConfig({
  test: {
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    maxWorkers: 2,
    ...(jsonReport ? { reporters: ["default", "json"], outputFile: { json: jsonReport } } : {}),
    projects: [
      {
        extends: true,
        test: { name: "shared", include: ["test/**/*.test.ts"], exclude: ownProcess, isolate: false },
      },
      { extends: true, test: { name: "own-process", include: ownProcess } },
    ],
  },
});
