/**
 * The layers hold by themselves: eslint.config.mjs refuses an import that points the wrong way, and the domain's
 * compiler config (tsconfig.domain.json) does not know Office, DOM or Node globals. Both are run for real, in a
 * child process (ESLint loads its flat config with a dynamic import, which jest's module system does not run),
 * on probe files that exist only in memory (lintText) or in a temp folder — never under src/.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../..");

interface Probe {
  /** Where the probe pretends to live, relative to the repo root. */
  file: string;
  code: string;
}

/** ESLint's Node API (ESLint#lintText) over each probe with the repo's config: the messages per probe. */
function lint(probes: Probe[]): string[][] {
  const script = `
    const { ESLint } = require("eslint");
    const probes = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
    (async () => {
      const eslint = new ESLint({ cwd: process.cwd() });
      const out = [];
      for (const probe of probes) {
        const [result] = await eslint.lintText(probe.code, { filePath: probe.file });
        out.push(result.messages.map((m) => m.ruleId + ": " + m.message));
      }
      process.stdout.write(JSON.stringify(out));
    })().catch((error) => { console.error(error); process.exit(1); });`;
  const output = execFileSync(process.execPath, ["-e", script], {
    cwd: ROOT,
    input: JSON.stringify(probes),
    encoding: "utf8",
    timeout: 60_000,
  });
  return JSON.parse(output) as string[][];
}

const PREVIEW_MESSAGE =
  "preview/ must not import src/excel, src/taskpane, src/functions, src/sandbox, src/host, src/composition-root: the Excel fake checks the adapter, so it must not be built from it.";
const NO_PREVIEW_MESSAGE =
  "src/ must not import preview/: the Excel fake and the preview page are built apart from production, never into dist/.";

const restricted = (source: string, message: string) =>
  `no-restricted-imports: '${source}' import is restricted from being used by a pattern. ${message}`;

// An import each layer must refuse, with the exact message the developer reads.
const FORBIDDEN: [string, Probe, string][] = [
  [
    "domain → app",
    { file: "src/domain/sheet/probe.ts", code: 'import { Session } from "../../app/session";\nexport const s = Session;\n' },
    restricted(
      "../../app/session",
      "domain/ must not import api/, app/, excel/, taskpane/, functions/, sandbox/, host/: it holds pure rules (no Office, no network) over model/ only.",
    ),
  ],
  [
    "domain → ky",
    { file: "src/domain/probe.ts", code: 'import ky from "ky";\nexport const k = ky;\n' },
    restricted("ky", "domain/ must not use ky: it holds pure rules (no Office, no network) over model/ only."),
  ],
  [
    "domain → Node",
    { file: "src/domain/probe.ts", code: 'import { readFileSync } from "node:fs";\nexport const r = readFileSync;\n' },
    restricted("node:fs", "domain/ runs in the browser too: no Node APIs."),
  ],
  [
    "api → domain",
    { file: "src/api/probe.ts", code: 'import { toMinor } from "../domain/money";\nexport const t = toMinor;\n' },
    restricted(
      "../domain/money",
      "api/ must not import domain/, app/, excel/, taskpane/, functions/, sandbox/, host/: it is the HTTP client and knows only model/.",
    ),
  ],
  [
    "app → excel (even a type)",
    { file: "src/app/probe.ts", code: 'import type { ExcelWorkbook } from "../excel/workbook";\nexport type W = ExcelWorkbook;\n' },
    restricted(
      "../excel/workbook",
      "app/ must not import excel/, taskpane/, functions/, sandbox/, host/: use-cases reach Excel and the UI only through ports.",
    ),
  ],
  [
    "app → composition root",
    { file: "src/app/probe.ts", code: 'import { addin } from "../composition-root";\nexport const a = addin;\n' },
    restricted("../composition-root", "app/ must not import the composition root: it wires the layers, which do not reach back into it."),
  ],
  [
    "taskpane → functions (one shell into the other)",
    {
      file: "src/taskpane/views/probe.ts",
      code: 'import { allocations } from "../../functions/functions";\nexport const a = allocations;\n',
    },
    restricted(
      "../../functions/functions",
      "taskpane/ must not import excel/, functions/, sandbox/, host/: a shell gets Excel and the other shell's parts from the composition root.",
    ),
  ],
  [
    "functions → excel",
    {
      file: "src/functions/probe.ts",
      code: 'import { recalculateWorkbook } from "../excel/recalculate";\nexport const r = recalculateWorkbook;\n',
    },
    restricted(
      "../excel/recalculate",
      "functions/ must not import excel/, taskpane/, sandbox/, host/: a shell gets Excel and the other shell's parts from the composition root.",
    ),
  ],
  [
    "preview (the fake) → excel (the adapter it checks)",
    {
      file: "preview/excel-fake/probe.ts",
      code: 'import { ExcelWorkbook } from "../../src/excel/workbook";\nexport const w = ExcelWorkbook;\n',
    },
    restricted("../../src/excel/workbook", PREVIEW_MESSAGE),
  ],
  [
    "preview page → the composition root",
    { file: "preview/page/probe.ts", code: 'import { addin } from "../../src/composition-root";\nexport const a = addin;\n' },
    restricted("../../src/composition-root", PREVIEW_MESSAGE),
  ],
  [
    "preview page → Node",
    { file: "preview/page/probe.ts", code: 'import { readFileSync } from "node:fs";\nexport const r = readFileSync;\n' },
    restricted("node:fs", "preview/ runs in the browser too: no Node APIs."),
  ],
  [
    "the fake's tests → the add-in's test helpers",
    {
      file: "preview/test/excel-fake/probe.test.ts",
      code: 'import { typed } from "../../../test/helpers/memory-workbook";\nexport const t = typed;\n',
    },
    restricted("../../../test/helpers/memory-workbook", "preview/test/ must not import test/: the fake's tests stand on their own."),
  ],
  // Production never imports the preview folder (the Excel fake, the page): from any folder under src/, with or
  // without a layer rule of its own — and these probes import only types, the least that still counts.
  ...(
    [
      ["app", "src/app/probe.ts", "../../preview/excel-fake/fake-excel"],
      ["excel", "src/excel/sheet/probe.ts", "../../../preview/excel-fake/model"],
      ["taskpane", "src/taskpane/probe.ts", "../../preview/page/office-stub"],
      ["the composition root", "src/composition-root-probe.ts", "../preview/page/preview"],
      ["a folder without a layer rule", "src/new-folder/probe.ts", "../../preview/excel-fake/fake-excel"],
    ] as const
  ).map(([who, file, source]): [string, Probe, string] => [
    `${who} → preview/`,
    { file, code: `import type { X } from "${source}";\nexport type Y = X;\n` },
    restricted(source, NO_PREVIEW_MESSAGE),
  ]),
];

// Imports the same layers may make: none of these gets a message.
const ALLOWED: [string, Probe][] = [
  ["domain → model", { file: "src/domain/probe.ts", code: 'import { INT32_MAX } from "../model/records";\nexport const m = INT32_MAX;\n' }],
  ["domain → domain", { file: "src/domain/sheet/probe.ts", code: 'import { columnName } from "../a1";\nexport const c = columnName;\n' }],
  [
    "app → domain and api",
    {
      file: "src/app/probe.ts",
      code: 'import { toMinor } from "../domain/money";\nimport { NotFoundError } from "../api/errors";\nexport const x = [toMinor, NotFoundError];\n',
    },
  ],
  [
    "excel → app's ports",
    { file: "src/excel/probe.ts", code: 'import type { WorkbookPort } from "../app/ports";\nexport type P = WorkbookPort;\n' },
  ],
  [
    "a shell → the composition root",
    { file: "src/taskpane/probe.ts", code: 'import { addin } from "../composition-root";\nexport const a = addin;\n' },
  ],
  [
    "preview → the domain's A1 helpers",
    { file: "preview/excel-fake/probe.ts", code: 'import { columnName } from "../../src/domain/a1";\nexport const c = columnName;\n' },
  ],
  [
    "the fake's tests → the fake and Node",
    {
      file: "preview/test/excel-fake/probe.test.ts",
      code: 'import { installExcelFake } from "../../excel-fake/fake-excel";\nimport { readFileSync } from "node:fs";\nexport const x = [installExcelFake, readFileSync];\n',
    },
  ],
  [
    "the adapter's tests → the fake",
    {
      file: "test/excel/probe.test.ts",
      code: 'import { installExcelFake } from "../../preview/excel-fake/fake-excel";\nexport const i = installExcelFake;\n',
    },
  ],
  [
    "the composition root → everything",
    {
      file: "src/composition-root-probe.ts",
      code: 'import { ExcelWorkbook } from "./excel/workbook";\nimport { FunctionsService } from "./functions/functions-service";\nexport const x = [ExcelWorkbook, FunctionsService];\n',
    },
  ],
];

describe("lint enforces the layers", () => {
  let forbidden: string[][];
  let allowed: string[][];
  beforeAll(() => {
    const results = lint([...FORBIDDEN.map(([, probe]) => probe), ...ALLOWED.map(([, probe]) => probe)]);
    forbidden = results.slice(0, FORBIDDEN.length);
    allowed = results.slice(FORBIDDEN.length);
  }, 90_000);

  test.each(FORBIDDEN.map(([name, , message], i) => [name, i, message] as const))("%s is an error", (_name, i, message) => {
    expect(forbidden[i]).toEqual([message]);
  });

  test.each(ALLOWED.map(([name], i) => [name, i] as const))("%s is fine", (_name, i) => {
    expect(allowed[i]).toEqual([]);
  });
});

test("domain code cannot see Office, DOM or Node globals (tsconfig.domain.json)", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "domain-globals-"));
  try {
    writeFileSync(
      path.join(dir, "probe.ts"),
      'export const excel = typeof Excel;\nexport const env = process.env.X;\nexport const page = window.location;\nexport const bytes = Buffer.from("x");\n',
    );
    writeFileSync(
      path.join(dir, "tsconfig.json"),
      JSON.stringify({ extends: path.join(ROOT, "tsconfig.domain.json"), include: [], files: ["probe.ts"] }),
    );
    let output = "";
    try {
      execFileSync(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "-p", dir], {
        encoding: "utf8",
        timeout: 60_000,
      });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout);
    }
    const missing = [...output.matchAll(/error TS\d+: Cannot find name '(\w+)'/g)].map((m) => m[1]);
    expect(missing).toEqual(["Excel", "process", "window", "Buffer"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
