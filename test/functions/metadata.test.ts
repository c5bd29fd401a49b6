/**
 * functions.json as the webpack build will generate it: the same generator the CustomFunctionsMetadataPlugin runs,
 * on the same source file, so this needs no build. Then the manifest must point Excel at that file.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { generateCustomFunctionsMetadata, type IFunction } from "custom-functions-metadata";

const ROOT = path.resolve(__dirname, "../..");
const SOURCE = path.join(ROOT, "src/functions/functions.ts");

type Param = [name: string, type: string, optional: boolean, dimensionality?: "matrix"];

const EXPECTED: Record<string, { js: string; params: Param[] }> = {
  ALLOCATIONS: {
    js: "allocations",
    params: [
      ["contract_id", "number", false],
      ["item_id", "number", false],
      ["item_type", "string", true],
      ["show_header", "boolean", true],
    ],
  },
  BUNDLE: {
    js: "bundle",
    params: [
      ["contract_id", "number", false],
      ["item_id", "number", false],
      ["item_type", "string", true],
      ["field", "string", true],
    ],
  },
  PREPAIDCOMMITS: {
    js: "prepaidCommits",
    params: [
      ["contract_id", "number", false],
      ["show_header", "boolean", true],
    ],
  },
  PREPAIDCOMMIT: {
    js: "prepaidCommit",
    params: [
      ["contract_id", "number", false],
      ["id", "number", false],
      ["field", "string", true],
    ],
  },
  CONTRACTS: { js: "contracts", params: [["show_header", "boolean", true]] },
  ITEMS: {
    js: "items",
    params: [
      ["contract_id", "number", false],
      ["item_type", "string", true],
      ["show_header", "boolean", true],
    ],
  },
  DRAWDOWN: {
    js: "drawdownModel",
    params: [
      ["commits", "any", false, "matrix"],
      ["usage", "any", false, "matrix"],
      ["balance_from", "string", true],
      ["show_header", "boolean", true],
    ],
  },
};

describe("functions.json generated from the JSDoc", () => {
  let functions: IFunction[];
  let associate: { functionName: string; id: string }[];

  beforeAll(async () => {
    const result = await generateCustomFunctionsMetadata(SOURCE, false);
    expect(result.errors).toEqual([]);
    functions = (JSON.parse(result.metadataJson) as { functions: IFunction[] }).functions;
    associate = result.associate;
  });

  test("has exactly the CAMPFIRE functions", () => {
    expect(functions.map((f) => f.id).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  test.each(Object.entries(EXPECTED))("%s: name, parameters, optional flags, descriptions, result", (id, expected) => {
    const fn = functions.find((f) => f.id === id)!;
    expect(fn.name).toBe(id);
    expect(fn.description!.length).toBeGreaterThan(40);
    expect(fn.result).toEqual({ dimensionality: "matrix" });
    expect(fn.parameters.map((p) => [p.name, p.type, p.optional === true, ...(p.dimensionality ? [p.dimensionality] : [])])).toEqual(
      expected.params,
    );
    for (const p of fn.parameters) expect(p.description?.length ?? 0).toBeGreaterThan(10);
    // The plugin binds each id to this exported JavaScript function.
    expect(associate).toContainEqual(expect.objectContaining({ id, functionName: expected.js }));
  });

  test("DRAWDOWN's help states the drawing rules", () => {
    const help = functions.find((f) => f.id === "DRAWDOWN")!.description!;
    for (const rule of [
      "lower priority first",
      "no priority counts as 1",
      "earlier start_date",
      "lower id",
      "start_date <= period <= expiration_date",
      "ties to even",
      "overage at the full rate",
    ]) {
      expect(help).toContain(rule);
    }
  });

  test("the source registers nothing itself (the plugin adds the associate calls)", () => {
    expect(readFileSync(SOURCE, "utf8")).not.toMatch(/CustomFunctions\.associate\s*\(/);
  });
});

describe("the manifest points Excel at the generated functions", () => {
  const manifest = readFileSync(path.join(ROOT, "manifest.xml"), "utf8");
  const urlOf = (resid: string) => new RegExp(`<bt:Url id="${resid.replace(/\./g, "\\.")}" DefaultValue="([^"]+)"`).exec(manifest)?.[1];

  test("CustomFunctions extension point: metadata functions.json, script functions.js, the shared runtime's page, namespace CAMPFIRE", () => {
    const point = /<ExtensionPoint xsi:type="CustomFunctions">([\s\S]*?)<\/ExtensionPoint>/.exec(manifest)?.[1] ?? "";
    const resid = (element: string) => new RegExp(`<${element}>\\s*<SourceLocation resid="([^"]+)"`).exec(point)?.[1] ?? "(none)";
    expect(urlOf(resid("Metadata"))).toMatch(/\/functions\.json$/);
    expect(urlOf(resid("Script"))).toMatch(/\/functions\.js$/);
    // One runtime: the functions run in the page that also hosts the task pane.
    const runtimeResid = /<Runtime resid="([^"]+)" lifetime="long"\/>/.exec(manifest)?.[1];
    expect(resid("Page")).toBe(runtimeResid);
    const namespaceResid = /<Namespace resid="([^"]+)"/.exec(point)?.[1];
    expect(new RegExp(`<bt:String id="${namespaceResid}" DefaultValue="CAMPFIRE"`).test(manifest)).toBe(true);
  });

  test("webpack generates functions.json from this source file", () => {
    const config = readFileSync(path.join(ROOT, "webpack.config.js"), "utf8");
    expect(config).toMatch(
      /CustomFunctionsMetadataPlugin\(\{[^}]*output:\s*"functions\.json"[^}]*input:\s*"\.\/src\/functions\/functions\.ts"/,
    );
  });
});
