import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ChromiumNotFoundError, findChromium, unpackBundledChromium, type FinderEnvironment } from "../../scripts/find-chromium";

const BUNDLED = "/tmp/campfire-chromium-143.0.4-0/chromium";

/** A machine with exactly these files; the bundled Chromium "unpacks" to BUNDLED and counts how often it is asked. */
function machine(files: string[], env: NodeJS.ProcessEnv = {}, platform: NodeJS.Platform = "linux", arch = "x64") {
  const unpacked: string[] = [];
  const where: FinderEnvironment = {
    env,
    platform,
    arch,
    isFile: (file) => files.includes(file),
    unpackBundled: () => {
      unpacked.push(BUNDLED);
      return BUNDLED;
    },
  };
  return { where, unpacked };
}

describe("findChromium: CHROMIUM_PATH, then a system browser, then the one inside the npm package", () => {
  test.each([
    [
      "CHROMIUM_PATH wins over everything",
      ["/opt/my/chrome", "/usr/bin/chromium"],
      { CHROMIUM_PATH: "/opt/my/chrome" },
      "/opt/my/chrome",
      "CHROMIUM_PATH",
    ],
    ["Debian's chromium", ["/usr/bin/chromium", "/usr/bin/google-chrome"], {}, "/usr/bin/chromium", "system"],
    ["Google Chrome when there is no Chromium", ["/usr/bin/google-chrome"], {}, "/usr/bin/google-chrome", "system"],
    ["Edge", ["/opt/microsoft/msedge/msedge"], {}, "/opt/microsoft/msedge/msedge", "system"],
    ["a browser found only on PATH", ["/home/u/bin/chromium"], { PATH: "/usr/local/bin:/home/u/bin" }, "/home/u/bin/chromium", "system"],
    [
      "install paths before PATH",
      ["/home/u/bin/chromium", "/usr/bin/google-chrome"],
      { PATH: "/home/u/bin" },
      "/usr/bin/google-chrome",
      "system",
    ],
    ["no browser at all: the bundled one", [], { PATH: "/usr/bin:/bin" }, BUNDLED, "bundled"],
    ["FORCE_BUNDLED_CHROMIUM=1 skips the system browser", ["/usr/bin/chromium"], { FORCE_BUNDLED_CHROMIUM: "1" }, BUNDLED, "bundled"],
    [
      "FORCE_BUNDLED_CHROMIUM does not override CHROMIUM_PATH",
      ["/opt/my/chrome"],
      { FORCE_BUNDLED_CHROMIUM: "1", CHROMIUM_PATH: "/opt/my/chrome" },
      "/opt/my/chrome",
      "CHROMIUM_PATH",
    ],
  ])("%s", (_name, files, env, executablePath, source) => {
    const { where, unpacked } = machine(files, env);
    expect(findChromium(where)).toEqual({ executablePath, source });
    // The bundled Chromium is unpacked only when it is the one chosen (it is 190 MB).
    expect(unpacked).toEqual(source === "bundled" ? [BUNDLED] : []);
  });

  test("macOS and Windows install paths", () => {
    expect(
      findChromium(machine(["/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"], {}, "darwin", "arm64").where).executablePath,
    ).toBe("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome");
    expect(
      findChromium(machine(["C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe"], {}, "win32").where).executablePath,
    ).toBe("C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe");
    expect(findChromium(machine(["C:\\tools\\chrome.exe"], { PATH: "C:\\Windows;C:\\tools" }, "win32").where).executablePath).toBe(
      "C:\\tools\\chrome.exe",
    );
  });

  test("a CHROMIUM_PATH that is not a file is an error, not a silent fallback", () => {
    const { where, unpacked } = machine(["/usr/bin/chromium"], { CHROMIUM_PATH: "/nope/chrome" });
    expect(() => findChromium(where)).toThrow(
      new ChromiumNotFoundError(
        'CHROMIUM_PATH is "/nope/chrome", which is not a file. Point it at a Chromium, Chrome or Edge executable, or unset it.',
      ),
    );
    expect(unpacked).toEqual([]);
  });

  test("where the bundled Chromium cannot run and no browser is installed, the error says what to do", () => {
    expect(() => findChromium(machine([], {}, "darwin", "arm64").where)).toThrow(
      "No Chromium, Chrome or Edge found (looked at 3 places), and the Chromium bundled with @sparticuz/chromium runs only on Linux x64. " +
        "Install one of them, or set CHROMIUM_PATH to its executable.",
    );
  });
});

describe("unpackBundledChromium", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "find-chromium-test-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  // The CI machine is Linux x64, where the package's binary runs; this unpacks the real thing (about 2 s, 190 MB).
  test("a half-written binary left by a killed run is unpacked again, then kept", () => {
    const cache = path.join(dir, "cache");
    mkdirSync(cache);
    writeFileSync(path.join(cache, "chromium"), "partial");
    const binary = unpackBundledChromium(cache);
    expect(binary).toBe(path.join(cache, "chromium"));
    const elf = readFileSync(binary).subarray(0, 4);
    expect([...elf]).toEqual([0x7f, 0x45, 0x4c, 0x46]); // "\x7fELF": a whole executable, not the leftover
    expect(existsSync(path.join(cache, ".unpacked"))).toBe(true);
    expect(existsSync(path.join(cache, ".lock"))).toBe(false);
    const unpackedAt = statSync(binary).mtimeMs;
    expect(unpackBundledChromium(cache)).toBe(binary);
    expect(statSync(binary).mtimeMs).toBe(unpackedAt);
  });
});
