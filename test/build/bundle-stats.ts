/**
 * What a page of the built add-in costs to load, and whether any module was bundled twice, read from the emitted
 * files and webpack's stats JSON. Shared by the build test and the bench (`npm run bench`).
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

/** The goal for the task pane page (issue 10): all of its own JavaScript, gzipped, in at most 80 KB. */
export const PANE_GZIP_LIMIT_BYTES = 80_000;

/** The src attributes of the <script> tags of an emitted page, in document order. */
export function pageScripts(html: string): string[] {
  return [...html.matchAll(/<script\b[^>]*\bsrc="?([^"\s>]+)"?[^>]*>/g)].map((m) => m[1]!);
}

export interface PageWeight {
  /** The page's scripts served from dist/ (office.js from the Office CDN is not ours and not counted). */
  scripts: string[];
  rawBytes: number;
  /** Each script gzipped on its own (as a web server sends it) at zlib's default level, summed. */
  gzipBytes: number;
}

export function pageWeight(outDir: string, page: string): PageWeight {
  const scripts = pageScripts(fs.readFileSync(path.join(outDir, page), "utf8")).filter((src) => !/^[a-z]+:\/\//i.test(src));
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const src of scripts) {
    const bytes = fs.readFileSync(path.join(outDir, src));
    rawBytes += bytes.length;
    gzipBytes += zlib.gzipSync(bytes).length;
  }
  return { scripts, rawBytes, gzipBytes };
}

interface StatsModule {
  name: string;
  chunks?: (string | number)[];
  /** Set for a concatenated module: the modules webpack inlined into it. */
  modules?: StatsModule[];
}

export interface WebpackStats {
  modules: StatsModule[];
  chunks: { id: string | number; files: string[] }[];
  /** Per entry, the files it needs, runtime and split chunks included, in load order. */
  entrypoints: Record<string, { assets: { name: string }[] }>;
}

export function readStats(file: string): WebpackStats {
  return JSON.parse(fs.readFileSync(file, "utf8")) as WebpackStats;
}

/**
 * Every source module (by name) that ended up in more than one chunk, with the chunks' files. A concatenated
 * module stands for the modules inlined into it, so those are looked at one by one, in the chunks of their host.
 */
export function modulesInSeveralChunks(stats: WebpackStats): { module: string; files: string[] }[] {
  const filesOf = new Map(stats.chunks.map((c) => [c.id, c.files.filter((f) => f.endsWith(".js"))]));
  const chunksOf = new Map<string, Set<string | number>>();
  const visit = (m: StatsModule, chunks: readonly (string | number)[]) => {
    if (m.modules?.length) {
      for (const inner of m.modules) visit(inner, chunks);
      return;
    }
    const seen = chunksOf.get(m.name) ?? new Set();
    for (const c of chunks) seen.add(c);
    chunksOf.set(m.name, seen);
  };
  for (const m of stats.modules) visit(m, m.chunks ?? []);
  return [...chunksOf]
    .filter(([, chunks]) => chunks.size > 1)
    .map(([module, chunks]) => ({ module, files: [...chunks].flatMap((c) => filesOf.get(c) ?? [`chunk ${c}`]).sort() }));
}
