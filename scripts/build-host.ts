/**
 * Bundles the production add-in host (src/host/main.ts) with esbuild into ONE file, dist-host/host.js, that runs
 * with `node` alone: no node_modules at run time (the host uses only Node's built-in modules, and the build
 * fails if anything from node_modules would end up in the bundle).
 *
 * dist-host/ sits next to dist/ rather than inside it because dist/ is what the host serves to the world.
 *
 *   tsx scripts/build-host.ts [--outdir DIR]     (npm run build runs it after webpack)
 */
import path from "node:path";
import { build } from "esbuild";

export const HOST_ENTRY = path.resolve(__dirname, "../src/host/main.ts");
export const DEFAULT_HOST_OUTDIR = path.resolve(__dirname, "../dist-host");

export async function buildHost(outdir: string = DEFAULT_HOST_OUTDIR): Promise<string> {
  const outfile = path.join(outdir, "host.js");
  const result = await build({
    entryPoints: [HOST_ENTRY],
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    // Readable stack traces in production logs matter more than a few kilobytes.
    minify: false,
    sourcemap: false,
    legalComments: "none",
    metafile: true,
    logLevel: "silent",
    banner: { js: "// Campfire for Excel: the production add-in host. Built by scripts/build-host.ts; do not edit." },
  });
  const fromPackages = Object.keys(result.metafile.inputs).filter((input) => input.includes("node_modules"));
  if (fromPackages.length > 0) {
    throw new Error(`The host must run on Node's built-ins alone, but the bundle pulls in: ${fromPackages.join(", ")}`);
  }
  return outfile;
}

if (require.main === module) {
  const at = process.argv.indexOf("--outdir");
  const outdir = at === -1 ? DEFAULT_HOST_OUTDIR : path.resolve(process.argv[at + 1] ?? "");
  buildHost(outdir).then(
    (file) => process.stdout.write(`Add-in host bundled: ${path.relative(process.cwd(), file)}\n`),
    (error: unknown) => {
      process.stderr.write(`Host bundle failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
