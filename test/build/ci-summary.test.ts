import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { summarize, type JestJson } from "../../scripts/ci-summary";
import { REPO_ROOT } from "./webpack-build";

describe("CI summary line", () => {
  test.each<[string, JestJson, string]>([
    [
      "all green",
      { numPassedTests: 12, numFailedTests: 0, testResults: [{ status: "passed", assertionResults: [{ status: "passed" }] }] },
      "tests: 12 passed, 0 failed",
    ],
    [
      "failed tests are counted one by one",
      {
        numPassedTests: 3,
        numFailedTests: 2,
        testResults: [{ status: "failed", assertionResults: [{ status: "failed" }, { status: "failed" }, { status: "passed" }] }],
      },
      "tests: 3 passed, 2 failed",
    ],
    [
      "a suite that failed to run (no tests) counts as one failure",
      {
        numPassedTests: 5,
        numFailedTests: 0,
        testResults: [
          { status: "failed", assertionResults: [] },
          { status: "passed", assertionResults: [{ status: "passed" }] },
        ],
      },
      "tests: 5 passed, 1 failed",
    ],
    [
      "a suite whose tests passed but whose hook failed counts as one failure",
      { numPassedTests: 2, numFailedTests: 0, testResults: [{ status: "failed", assertionResults: [{ status: "passed" }] }] },
      "tests: 2 passed, 1 failed",
    ],
  ])("%s", (_name, report, line) => {
    expect(summarize(report).line).toBe(line);
  });
});

describe("CI summary against a real jest --json report", () => {
  test("a passing test, a failing test and a suite with a syntax error give 1 passed, 2 failed and exit 1", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ci-summary-"));
    try {
      fs.writeFileSync(path.join(dir, "good.test.js"), "test('ok', () => expect(1 + 1).toBe(2));\n");
      fs.writeFileSync(path.join(dir, "bad.test.js"), "test('not ok', () => expect(1 + 1).toBe(3));\n");
      fs.writeFileSync(path.join(dir, "broken.test.js"), "test('never runs', () => {\n");
      fs.writeFileSync(path.join(dir, "jest.config.js"), "module.exports = { testEnvironment: 'node', transform: {} };\n");
      const report = path.join(dir, "jest.json");
      const jest = spawnSync(
        process.execPath,
        [path.join(REPO_ROOT, "node_modules/jest/bin/jest.js"), "--ci", "--rootDir", dir, "--json", `--outputFile=${report}`],
        { cwd: dir, encoding: "utf8", timeout: 120_000 },
      );
      expect(jest.status).toBe(1);

      const tsx = path.join(REPO_ROOT, "node_modules/tsx/dist/cli.mjs");
      const run = spawnSync(process.execPath, [tsx, path.join(REPO_ROOT, "scripts/ci-summary.ts"), report], {
        cwd: REPO_ROOT,
        encoding: "utf8",
        timeout: 60_000,
      });
      expect({ stdout: run.stdout, status: run.status }).toEqual({ stdout: "tests: 1 passed, 2 failed\n", status: 1 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  test("a missing report is a failure", () => {
    const tsx = path.join(REPO_ROOT, "node_modules/tsx/dist/cli.mjs");
    const run = spawnSync(process.execPath, [tsx, path.join(REPO_ROOT, "scripts/ci-summary.ts"), "/nonexistent/jest.json"], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect({ stdout: run.stdout, status: run.status }).toEqual({ stdout: "tests: 0 passed, 1 failed\n", status: 1 });
  }, 60_000);
});
