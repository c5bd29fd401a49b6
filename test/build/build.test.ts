import fs from "node:fs";
import path from "node:path";
import { DIST as DIST_PREVIEW, ensureBuild } from "../e2e/harness";
import { buildAddin, listFiles, REPO_ROOT, type BuildResult } from "./webpack-build";

const PROD_URL = "https://addin.example.com";
const builds: BuildResult[] = [];

function build(options: Parameters<typeof buildAddin>[0]): BuildResult {
  const result = buildAddin(options);
  builds.push(result);
  return result;
}

afterAll(() => {
  for (const b of builds) fs.rmSync(b.outDir, { recursive: true, force: true });
});

function read(b: Pick<BuildResult, "outDir">, file: string): string {
  return fs.readFileSync(path.join(b.outDir, file), "utf8");
}

/** The src attributes of the <script> tags of an emitted page, in document order. */
function scripts(html: string): string[] {
  return [...html.matchAll(/<script\b[^>]*\bsrc="?([^"\s>]+)"?[^>]*>/g)].map((m) => m[1]!);
}

/** Webpack's shared chunks are numbered by content ("259.js"); the minifier's licence files come and go with it. */
const SHARED_CHUNK = /^\d+\.js$/;

/** A file list with every shared chunk named alike and the licence files left out (at least one chunk stays). */
function kinds(files: readonly string[]): string[] {
  return [...new Set(files.filter((f) => !f.endsWith(".LICENSE.txt")).map((f) => (SHARED_CHUNK.test(f) ? "<shared chunk>.js" : f)))].sort();
}

describe("production build with CAMPFIRE_ADDIN_URL", () => {
  let prod: BuildResult;
  beforeAll(() => {
    prod = build({ mode: "production", addinUrl: PROD_URL });
  }, 180_000);

  test("succeeds", () => {
    expect({ status: prod.status, output: prod.status === 0 ? "" : prod.output }).toEqual({ status: 0, output: "" });
  });

  test("rewrites every https://localhost:3000/ in the manifest to the production URL and changes nothing else", () => {
    const source = fs.readFileSync(path.join(REPO_ROOT, "manifest.xml"), "utf8");
    const emitted = read(prod, "manifest.xml");
    expect(emitted).not.toContain("localhost");
    expect(emitted).toBe(source.replaceAll("https://localhost:3000/", `${PROD_URL}/`));
    expect(emitted).toContain(`<SourceLocation DefaultValue="${PROD_URL}/taskpane.html"/>`);
    expect(emitted).toContain(`<bt:Url id="Functions.Metadata.Url" DefaultValue="${PROD_URL}/functions.json"/>`);
  });

  test("dist/ holds exactly what production serves: the page, its bundles, metadata, icons and the manifest", () => {
    // No preview page, fake Excel or local office.js copies: those are the preview build's (dist-preview/).
    // Shared chunks are named by webpack ("<shared chunk>.js"); licence files, which the minifier moves out, are left out.
    expect(kinds(listFiles(prod.outDir))).toEqual([
      "<shared chunk>.js",
      "assets/icon-16.png",
      "assets/icon-32.png",
      "assets/icon-64.png",
      "assets/icon-80.png",
      "functions.js",
      "functions.json",
      "manifest.xml",
      "taskpane.html",
      "taskpane.js",
      "webpack-runtime.js",
    ]);
  });

  test("no production bundle contains the Excel fake", () => {
    for (const bundle of ["webpack-runtime.js", "functions.js", "taskpane.js"]) {
      expect({
        bundle,
        hasFake: read(prod, bundle).includes("installExcelFake") || read(prod, bundle).includes("__campfirePreview"),
      }).toEqual({
        bundle,
        hasFake: false,
      });
    }
  });

  test("taskpane.html is the shared runtime: office.js from the Office CDN, then the webpack runtime, functions, taskpane", () => {
    // Shared chunks (split out so no module ships twice; their names are content ids) load in between.
    expect(scripts(read(prod, "taskpane.html")).filter((s) => !/^\d+\.js$/.test(s))).toEqual([
      "https://appsforoffice.microsoft.com/lib/1/hosted/office.js",
      "webpack-runtime.js",
      "functions.js",
      "taskpane.js",
    ]);
  });

  test("functions.json lists functions, and functions.js associates each exactly once (the plugin adds the calls)", () => {
    const metadata = JSON.parse(read(prod, "functions.json")) as { functions: { id: string }[] };
    const ids = metadata.functions.map((f) => f.id);
    expect(ids.length).toBeGreaterThan(0);
    const bundle = read(prod, "functions.js");
    const associated = [...bundle.matchAll(/CustomFunctions\.associate\("([^"]+)"/g)].map((m) => m[1]!);
    expect([...associated].sort()).toEqual([...ids].sort());
  });
});

describe("preview build (--env preview, for npm run preview and the browser tests)", () => {
  // The very dist-preview/ that npm run preview serves and the browser tests load, built (when stale) once for all.
  const preview = { outDir: DIST_PREVIEW };
  beforeAll(() => ensureBuild(), 180_000);

  test("holds the preview page, the bundles it loads and office.js served locally — no manifest to deploy", () => {
    expect(kinds(listFiles(preview.outDir))).toEqual([
      "<shared chunk>.js",
      "assets/icon-32.png",
      "functions.js",
      "functions.json",
      "office-js/en-us/office_strings.js",
      "office-js/o15apptofilemappingtable.js",
      "office-js/office.js",
      "preview.html",
      "preview.js",
      "taskpane.js",
      "webpack-runtime.js",
    ]);
  });

  test("preview.html installs the fake host before the functions and task pane, with office.js served locally", () => {
    const srcs = scripts(read(preview, "preview.html"));
    expect(srcs.filter((s) => !SHARED_CHUNK.test(s))).toEqual([
      "office-js/office.js",
      "webpack-runtime.js",
      "preview.js",
      "functions.js",
      "taskpane.js",
    ]);
    // The shared chunks the entries need are loaded too (webpack's runtime starts an entry once its chunks are
    // in, whatever their order), and each is a file of the build.
    const chunks = srcs.filter((s) => SHARED_CHUNK.test(s));
    expect(chunks.length).toBeGreaterThan(0);
    for (const chunk of chunks) expect(fs.existsSync(path.join(preview.outDir, chunk))).toBe(true);
  });

  test.each(["office.js", "o15apptofilemappingtable.js", "en-us/office_strings.js"])(
    "office-js/%s is copied byte for byte from @microsoft/office-js",
    (file) => {
      const original = fs.readFileSync(path.join(REPO_ROOT, "node_modules/@microsoft/office-js/dist", file));
      expect(fs.readFileSync(path.join(preview.outDir, "office-js", file)).equals(original)).toBe(true);
    },
  );
});

describe("build configuration errors and modes", () => {
  test.each([
    ["http://addin.example.com", 'CAMPFIRE_ADDIN_URL must be an https:// URL (Office requires it), got "http://addin.example.com"'],
    ["addin.example.com", 'CAMPFIRE_ADDIN_URL "addin.example.com" is not a URL; expected e.g. https://addin.example.com/'],
  ])(
    "refuses CAMPFIRE_ADDIN_URL=%s",
    (url, message) => {
      const result = build({ mode: "production", addinUrl: url });
      expect(result.status).not.toBe(0);
      expect(result.output).toContain(message);
      expect(fs.existsSync(path.join(result.outDir, "manifest.xml"))).toBe(false);
    },
    60_000,
  );

  test("a development build keeps localhost URLs and emits source maps", () => {
    const dev = build({ mode: "development", addinUrl: PROD_URL.replace("addin", "ignored-in-dev") });
    expect(dev.status).toBe(0);
    const files = listFiles(dev.outDir);
    expect(files).toContain("webpack-runtime.js.map");
    expect(files).toContain("functions.js.map");
    expect(read(dev, "manifest.xml")).toContain("https://localhost:3000/taskpane.html");
  }, 180_000);
});
