import fs from "node:fs";
import path from "node:path";
import { buildAddin, listFiles, REPO_ROOT, type BuildResult } from "../build/webpack-build";
import { elements, readManifest, textOf, walk, type ParsedManifest, type XmlNode } from "./read-manifest";

const MANIFEST = path.join(REPO_ROOT, "manifest.xml");
const DEV_ORIGIN = "https://localhost:3000";

let manifest: ParsedManifest;
let root: XmlNode;

beforeAll(() => {
  manifest = readManifest(MANIFEST);
  root = manifest.xml.OfficeApp;
});

function attr(node: XmlNode, name: string): string | undefined {
  return node.$?.[name];
}

function only(nodes: XmlNode[], what: string): XmlNode {
  expect({ what, count: nodes.length }).toEqual({ what, count: 1 });
  return nodes[0]!;
}

/** resid -> DefaultValue for every resource (images, URLs, short and long strings). */
function resources(): Map<string, string> {
  const res = only(elements(root, "Resources"), "Resources");
  const map = new Map<string, string>();
  walk(res, "Resources", (_name, node) => {
    const id = attr(node, "id");
    const value = attr(node, "DefaultValue");
    if (id !== undefined && value !== undefined) {
      expect({ duplicate: id, seen: map.has(id) }).toEqual({ duplicate: id, seen: false });
      map.set(id, value);
    }
  });
  return map;
}

/** Every URL the manifest makes Office load or show (namespace URIs are identifiers, not URLs, and are excluded). */
function allUrls(): string[] {
  const urls: string[] = [];
  walk(root, "OfficeApp", (name, node) => {
    for (const [key, value] of Object.entries(node.$ ?? {})) {
      if (key === "xmlns" || key.startsWith("xmlns:")) continue;
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) urls.push(value);
    }
    if (name === "AppDomains") for (const d of (node.AppDomain as (XmlNode | string)[] | undefined) ?? []) urls.push(textOf(d));
  });
  return urls;
}

describe("manifest.xml (parsed offline with office-addin-manifest)", () => {
  test("identifies an Excel task-pane add-in from Campfire for Excel", () => {
    expect(manifest.info.officeAppType).toBe("TaskPaneApp");
    expect(manifest.info.hosts).toEqual(["Workbook"]);
    expect(manifest.info.providerName).toBe("Campfire for Excel");
    expect(manifest.info.displayName).toBe("Campfire for Excel");
    expect(manifest.info.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(manifest.info.defaultSettings?.sourceLocation).toBe(`${DEV_ORIGIN}/taskpane.html`);
  });

  test("requires ExcelApi 1.14 and SharedRuntime 1.1, with one long-lived runtime on the task pane page", () => {
    const sets = elements(root, "Set").map((s) => `${attr(s, "Name")}@${attr(s, "MinVersion")}`);
    expect(sets).toEqual(["ExcelApi@1.14", "SharedRuntime@1.1"]);
    const runtime = only(elements(root, "Runtime"), "Runtime");
    expect(runtime.$).toEqual({ resid: "Taskpane.Url", lifetime: "long" });
  });

  test("the ExcelApi version asked for is the highest one src/excel/ uses, no lower and no higher", () => {
    // Excel APIs the add-in calls above ExcelApi 1.1, with the set each needs (Office.js reference docs).
    const needs: [string, RegExp, string][] = [
      ["WorksheetChangedEventArgs.triggerSource", /\.triggerSource\b/, "1.14"],
      ["Table.resize", /\.resize\(/, "1.13"],
      ["Worksheet.getRanges (RangeAreas)", /\.getRanges\(/, "1.9"],
      ["Range.dataValidation", /\.dataValidation\b/, "1.8"],
      ["Worksheet.onChanged", /\.onChanged\b/, "1.7"],
      ["Worksheet.getRangeByIndexes", /\.getRangeByIndexes\(/, "1.7"],
      ["Worksheet.freezePanes", /\.freezePanes\b/, "1.7"],
      ["ConditionalFormatCollection.add", /\.conditionalFormats\.add\(/, "1.6"],
      ["getItemOrNullObject / getUsedRangeOrNullObject", /OrNullObject\(/, "1.4"],
      ["Worksheet.visibility (set)", /\.visibility\s*=/, "1.2"],
    ];
    const dir = path.join(REPO_ROOT, "src", "excel");
    const code = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith(".ts"))
      .map((f) => fs.readFileSync(path.join(dir, f), "utf8"))
      .join("\n");
    const used = needs.filter(([, pattern]) => pattern.test(code));
    const minor = (version: string) => Number(version.split(".")[1]);
    const highest = used.reduce((max, [, , version]) => (minor(version) > minor(max) ? version : max), "1.1");
    expect(used.map(([api]) => api)).toContain("WorksheetChangedEventArgs.triggerSource");
    expect(highest).toBe("1.14");
    const excelApi = only(
      elements(root, "Set").filter((s) => attr(s, "Name") === "ExcelApi"),
      "ExcelApi set",
    );
    expect(attr(excelApi, "MinVersion")).toBe(highest);
  });

  test("custom functions live in the shared runtime under the CAMPFIRE namespace", () => {
    const point = only(
      elements(root, "ExtensionPoint").filter((e) => attr(e, "xsi:type") === "CustomFunctions"),
      "CustomFunctions extension point",
    );
    const sourceOf = (child: string) => {
      const holder = (point[child] as XmlNode[])[0]!;
      return attr((holder.SourceLocation as XmlNode[])[0]!, "resid");
    };
    expect(sourceOf("Page")).toBe("Taskpane.Url");
    expect(sourceOf("Script")).toBe("Functions.Script.Url");
    expect(sourceOf("Metadata")).toBe("Functions.Metadata.Url");
    const namespaceResid = attr((point.Namespace as XmlNode[])[0]!, "resid")!;
    expect(resources().get(namespaceResid)).toBe("CAMPFIRE");
    expect(resources().get("Functions.Metadata.Url")).toBe(`${DEV_ORIGIN}/functions.json`);
  });

  test("ribbon commands run in the same runtime (FunctionFile = the task pane page)", () => {
    const functionFile = only(elements(root, "FunctionFile"), "FunctionFile");
    expect(attr(functionFile, "resid")).toBe("Taskpane.Url");
  });

  test("the Campfire group on the Home tab has exactly the four buttons, in order", () => {
    const tab = only(elements(root, "OfficeTab"), "OfficeTab");
    expect(attr(tab, "id")).toBe("TabHome");
    const group = only(tab.Group as XmlNode[], "Group");
    expect(resources().get(attr((group.Label as XmlNode[])[0]!, "resid")!)).toBe("Campfire");
    const buttons = (group.Control as XmlNode[]).map((control) => {
      const label = resources().get(attr((control.Label as XmlNode[])[0]!, "resid")!);
      const action = (control.Action as XmlNode[])[0]!;
      const type = attr(action, "xsi:type");
      const target =
        type === "ExecuteFunction"
          ? textOf((action.FunctionName as (XmlNode | string)[])[0]!)
          : attr((action.SourceLocation as XmlNode[])[0]!, "resid");
      return `${attr(control, "xsi:type")} "${label}" ${type} ${target}`;
    });
    expect(buttons).toEqual([
      'Button "Open Campfire" ShowTaskpane Taskpane.Url',
      'Button "Push allocations" ExecuteFunction pushAllocations',
      'Button "Push prepaid commits" ExecuteFunction pushPrepaidCommits',
      'Button "Refresh" ExecuteFunction refreshAll',
    ]);
  });

  test("every resid used is defined in Resources, and every resource is used", () => {
    const used = new Set<string>();
    walk(root, "OfficeApp", (_name, node) => {
      const resid = attr(node, "resid");
      if (resid !== undefined) used.add(resid);
    });
    const defined = resources();
    expect([...used].filter((r) => !defined.has(r))).toEqual([]);
    expect([...defined.keys()].filter((r) => !used.has(r))).toEqual([]);
  });

  test("resource ids are Dotted.PascalCase and at most 32 characters (the manifest schema limit)", () => {
    const bad = [...resources().keys()].filter((id) => id.length > 32 || !/^[A-Z][A-Za-z0-9]*(\.[A-Z0-9][A-Za-z0-9]*)+$/.test(id));
    expect(bad).toEqual([]);
  });

  test("short strings fit in 125 characters and long strings in 250", () => {
    const tooLong: string[] = [];
    for (const [kind, limit] of [
      ["bt:ShortStrings", 125],
      ["bt:LongStrings", 250],
    ] as const) {
      for (const holder of elements(root, kind)) {
        for (const s of (holder["bt:String"] as XmlNode[]) ?? []) {
          if ((attr(s, "DefaultValue") ?? "").length > limit) tooLong.push(attr(s, "id")!);
        }
      }
    }
    expect(tooLong).toEqual([]);
  });

  test("every URL is https", () => {
    const urls = allUrls();
    expect(urls.length).toBeGreaterThan(8);
    expect(urls.filter((u) => !u.startsWith("https://"))).toEqual([]);
  });

  test("icons of 16, 32, 64 and 80 px are referenced and exist in assets/ as PNGs of that size", () => {
    const iconUrls = allUrls().filter((u) => u.includes("/assets/"));
    const sizes = new Set<number>();
    for (const url of iconUrls) {
      const match = /\/assets\/icon-(\d+)\.png$/.exec(url);
      expect({ url, match: match !== null }).toEqual({ url, match: true });
      const size = Number(match![1]);
      sizes.add(size);
      const png = fs.readFileSync(path.join(REPO_ROOT, "assets", `icon-${size}.png`));
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([size, size]);
    }
    expect([...sizes].sort((a, b) => a - b)).toEqual([16, 32, 64, 80]);
  });
});

describe("manifest.xml against the build output", () => {
  let build: BuildResult;
  beforeAll(() => {
    build = buildAddin({ mode: "production" });
  }, 180_000);
  afterAll(() => {
    if (build) fs.rmSync(build.outDir, { recursive: true, force: true });
  });

  test("the production build succeeds", () => {
    expect({ status: build.status, output: build.status === 0 ? "" : build.output }).toEqual({ status: 0, output: "" });
  });

  test("every localhost URL in the manifest names a file the build emits", () => {
    const emitted = new Set(listFiles(build.outDir));
    const localPaths = allUrls()
      .filter((u) => u.startsWith(`${DEV_ORIGIN}/`))
      .map((u) => new URL(u).pathname.slice(1));
    expect(localPaths.length).toBeGreaterThan(5);
    expect(localPaths.filter((p) => !emitted.has(p))).toEqual([]);
  });

  test("without CAMPFIRE_ADDIN_URL the manifest is copied unchanged", () => {
    expect(fs.readFileSync(path.join(build.outDir, "manifest.xml"), "utf8")).toBe(fs.readFileSync(MANIFEST, "utf8"));
  });
});
