import { canSideloadDesktop, judgeToolOutput } from "../../src/host/sideload";
import { DEFAULT_CAMPFIRE_BASE_URL, DEFAULT_HOST_PORT, hostSettingsFromEnv } from "../../src/host/settings";

describe("office-addin-debugging output is judged by its text, not its exit code", () => {
  // Outputs as printed by office-addin-debugging 7.0.0 (all with exit code 0).
  test.each<[string, string, number, boolean, string | null]>([
    [
      "linux desktop",
      "Debugging is being started...\nApp type: desktop\nSideloading the Office Add-in...\nError: Unable to start debugging.\nError: Unable to sideload the Office Add-in.\nError: Platform not supported: linux.\n",
      0,
      false,
      "Error: Unable to start debugging.",
    ],
    [
      "web without a document",
      "Error: For sideload to web, you need to specify a document url.\n",
      0,
      false,
      "Error: For sideload to web, you need to specify a document url.",
    ],
    [
      "stop on linux",
      "Unable to unregister the Office Add-in. Error: Platform not supported: linux.\n",
      0,
      false,
      "Unable to unregister the Office Add-in. Error: Platform not supported: linux.",
    ],
    ["success", "Debugging is being started...\nApp type: desktop\nSideloading the Office Add-in...\nDebugging started.\n", 0, true, null],
    ["non-zero exit without an error line", "Debugging is being started...\n", 1, false, null],
  ])("%s", (_name, output, code, ok, error) => {
    expect(judgeToolOutput(output, code)).toEqual({ ok, output, error });
  });

  test.each<[NodeJS.Platform, boolean]>([
    ["win32", true],
    ["darwin", true],
    ["linux", false],
    ["freebsd", false],
  ])("desktop sideloading on %s: %s", (platform, expected) => {
    expect(canSideloadDesktop(platform)).toBe(expected);
  });
});

describe("host settings from the environment", () => {
  test("defaults to port 3000 and the local sandbox", () => {
    expect(hostSettingsFromEnv({})).toEqual({ port: DEFAULT_HOST_PORT, upstream: DEFAULT_CAMPFIRE_BASE_URL, usesDefaultUpstream: true });
    expect([DEFAULT_HOST_PORT, DEFAULT_CAMPFIRE_BASE_URL]).toEqual([3000, "http://127.0.0.1:4010"]);
  });

  test("reads HOST_PORT and CAMPFIRE_BASE_URL (trailing slash dropped)", () => {
    expect(hostSettingsFromEnv({ HOST_PORT: "3443", CAMPFIRE_BASE_URL: "https://api.meetcampfire.com/" })).toEqual({
      port: 3443,
      upstream: "https://api.meetcampfire.com",
      usesDefaultUpstream: false,
    });
  });

  test.each(["abc", "0", "70000", "30.5", "-1"])("refuses HOST_PORT=%s", (value) => {
    expect(() => hostSettingsFromEnv({ HOST_PORT: value })).toThrow(`HOST_PORT must be a port number 1-65535, got "${value}"`);
  });
});
