#!/usr/bin/env node
// Prints CI's closing line, `N passed, N failed[, N skipped]`, from Vitest's JSON report,
// and exits non-zero when anything failed. Usage: test-summary.mjs <report.json> <exit code of npm test>
import { readFileSync } from "node:fs";

const [reportPath, exitCodeText = "0"] = process.argv.slice(2);
const exitCode = Number(exitCodeText);

function finish(passed, failed, skipped) {
  console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`);
  process.exit(failed > 0 ? 1 : 0);
}

let report;
try {
  report = JSON.parse(readFileSync(reportPath, "utf8"));
} catch (error) {
  // No report means the tests never ran: typecheck or lint failed first, or Vitest crashed.
  console.error(
    `No test report at ${reportPath} (${error.code ?? error.message}); npm test exited with ${exitCode}. ` +
      "Typecheck or lint failed before the tests ran, or Vitest could not start: see the output above.",
  );
  finish(0, 1, 0);
}

const passed = report.numPassedTests ?? 0;
let failed = report.numFailedTests ?? 0;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);

// A test file that fails to load has no test results of its own, but it is a failure.
const brokenFiles = (report.testResults ?? []).filter(
  (file) => file.status === "failed" && !(file.assertionResults ?? []).some((test) => test.status === "failed"),
);
for (const file of brokenFiles)
  console.error(`Test file failed outside its tests: ${file.name}\n${file.message ?? ""}`);
failed += brokenFiles.length;

// Vitest can also fail the run without failing a test (an unhandled error, a failed global setup).
if (exitCode !== 0 && failed === 0) {
  console.error(`npm test exited with ${exitCode} although no test failed: counted as one failure.`);
  failed = 1;
}
finish(passed, failed, skipped);
