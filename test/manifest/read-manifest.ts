/**
 * Parses a manifest with office-addin-manifest in a child Node process. office-addin-manifest pulls in ESM-only
 * packages (uuid, strip-bom) that jest's CommonJS runtime cannot load, while plain Node >= 20.19 can.
 */
import { spawnSync } from "node:child_process";
import { REPO_ROOT } from "../build/webpack-build";

/** xml2js shape: attributes under "$", child elements as arrays keyed by (prefixed) name, text under "_". */
export interface XmlNode {
  $?: Record<string, string>;
  _?: string;
  [child: string]: XmlNode[] | Record<string, string> | string | undefined;
}

export interface ParsedManifest {
  info: {
    id?: string;
    displayName?: string;
    providerName?: string;
    officeAppType?: string;
    hosts?: string[];
    iconUrl?: string;
    highResolutionIconUrl?: string;
    supportUrl?: string;
    defaultSettings?: { sourceLocation?: string };
  };
  /** The whole document; the root key is "OfficeApp". */
  xml: { OfficeApp: XmlNode };
}

const SCRIPT = `
const { OfficeAddinManifest } = require("office-addin-manifest");
const { ManifestHandlerXml } = require("office-addin-manifest/lib/manifestHandler/manifestHandlerXml");
(async () => {
  const file = process.argv[1];
  const info = await OfficeAddinManifest.readManifestFile(file);
  const xml = await new ManifestHandlerXml(file).parseXmlAsync();
  process.stdout.write(JSON.stringify({ info, xml }));
})().catch((err) => { process.stderr.write(String(err && err.stack || err)); process.exit(1); });
`;

export function readManifest(file: string): ParsedManifest {
  const run = spawnSync(process.execPath, ["-e", SCRIPT, file], { cwd: REPO_ROOT, encoding: "utf8", timeout: 60_000 });
  if (run.status !== 0) throw new Error(`office-addin-manifest could not read ${file}:\n${run.stderr}`);
  return JSON.parse(run.stdout) as ParsedManifest;
}

/** Depth-first visit of every element, with its element name. */
export function walk(node: XmlNode, name: string, visit: (name: string, node: XmlNode) => void): void {
  visit(name, node);
  for (const [key, value] of Object.entries(node)) {
    if (key === "$" || key === "_" || !Array.isArray(value)) continue;
    for (const child of value) {
      if (typeof child === "object" && child !== null) walk(child, key, visit);
    }
  }
}

/** All elements with the given name (namespace prefix included, e.g. "bt:Url"). */
export function elements(root: XmlNode, wanted: string): XmlNode[] {
  const found: XmlNode[] = [];
  walk(root, "OfficeApp", (name, node) => {
    if (name === wanted) found.push(node);
  });
  return found;
}

export function textOf(node: XmlNode | string): string {
  return typeof node === "string" ? node : (node._ ?? "");
}
