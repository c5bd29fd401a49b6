/**
 * Code that ships to the browser imports zod/mini, never classic zod: a classic schema carries methods that pull
 * zod's JSON-schema code into the task pane bundle (issue 10: ~15 KB gzipped on the page). Only the sandbox, which
 * runs in Node, may use the classic API.
 */
import fs from "node:fs";
import path from "node:path";

const SRC = path.resolve(__dirname, "../../src");
const NODE_ONLY = [path.join(SRC, "sandbox") + path.sep];

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

/** Every module specifier of an import or export-from naming zod or one of its subpaths. */
function zodImports(source: string): string[] {
  return [...source.matchAll(/\bfrom\s+["'](zod(?:\/[^"']*)?)["']|\bimport\s*\(\s*["'](zod(?:\/[^"']*)?)["']/g)].map((m) => m[1] ?? m[2]!);
}

const browserFiles = tsFiles(SRC).filter((file) => !NODE_ONLY.some((dir) => file.startsWith(dir)));

test("the scan sees the modules that parse with zod", () => {
  const users = browserFiles.filter((file) => zodImports(fs.readFileSync(file, "utf8")).length > 0).map((file) => path.relative(SRC, file));
  expect(users).toEqual(expect.arrayContaining(["model/records.ts", "domain/sheet/snapshot.ts", "domain/sheet/last-push.ts"]));
});

test("no browser module imports zod other than zod/mini", () => {
  const classic = browserFiles.flatMap((file) =>
    zodImports(fs.readFileSync(file, "utf8"))
      .filter((specifier) => specifier !== "zod/mini")
      .map((specifier) => `${path.relative(SRC, file)}: ${specifier}`),
  );
  expect(classic).toEqual([]);
});

test("the specifier scan recognises the import forms it is meant to catch", () => {
  expect(
    zodImports(`import { z } from "zod";\nimport type { z as m } from 'zod/mini';\nexport { z } from "zod/v4";\nawait import("zod");`),
  ).toEqual(["zod", "zod/mini", "zod/v4", "zod"]);
});
