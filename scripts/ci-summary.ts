/**
 * Turns jest's --json output into CI's one-line verdict: `tests: N passed, M failed`.
 * A suite that fails to run (compile error, crash in a hook) has no failed tests, yet must fail CI, so it counts
 * as one failure.
 * Usage: tsx scripts/ci-summary.ts test-output/jest.json   (exit code 0 only when nothing failed)
 */
import fs from "node:fs";

interface JestAssertion {
  status: string;
}
interface JestSuite {
  status: string;
  assertionResults?: JestAssertion[];
}
export interface JestJson {
  numPassedTests: number;
  numFailedTests: number;
  testResults: JestSuite[];
}

export interface CiSummary {
  passed: number;
  failed: number;
  line: string;
}

export function summarize(report: JestJson): CiSummary {
  const brokenSuites = report.testResults.filter(
    (suite) => suite.status === "failed" && !(suite.assertionResults ?? []).some((a) => a.status === "failed"),
  ).length;
  const passed = report.numPassedTests;
  const failed = report.numFailedTests + brokenSuites;
  return { passed, failed, line: `tests: ${passed} passed, ${failed} failed` };
}

function main(file: string | undefined): number {
  if (!file || !fs.existsSync(file)) {
    process.stdout.write("tests: 0 passed, 1 failed\n");
    process.stderr.write(`No jest report at ${file ?? "(no path given)"}: jest did not run to the end.\n`);
    return 1;
  }
  let report: JestJson;
  try {
    report = JSON.parse(fs.readFileSync(file, "utf8")) as JestJson;
  } catch {
    process.stdout.write("tests: 0 passed, 1 failed\n");
    process.stderr.write(`The jest report ${file} is not valid JSON.\n`);
    return 1;
  }
  const summary = summarize(report);
  process.stdout.write(`${summary.line}\n`);
  // Zero tests is a broken run, not a green one.
  return summary.failed === 0 && summary.passed > 0 ? 0 : 1;
}

if (require.main === module) {
  process.exitCode = main(process.argv[2]);
}
