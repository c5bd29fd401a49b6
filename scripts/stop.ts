/**
 * `npm stop`: unregister the sideloaded add-in from desktop Excel (Windows/macOS). The host and the sandbox belong
 * to the `npm start` process and stop with Ctrl+C there.
 */
import path from "node:path";
import { canSideloadDesktop, runOfficeDebugging } from "../src/host/sideload";

const ROOT = path.resolve(__dirname, "..");

async function main(): Promise<void> {
  if (!canSideloadDesktop(process.platform)) {
    process.stdout.write(
      [
        `Nothing to unregister on ${process.platform}: npm start does not sideload into desktop Excel here.`,
        "  - To stop the add-in host and the sandbox, press Ctrl+C in the terminal running npm start.",
        "  - To remove an add-in uploaded to Excel on the web, close the workbook (uploaded add-ins last for that",
        "    session only) or remove it under Home › Add-ins › More Add-ins › My Add-ins.",
        "",
      ].join("\n"),
    );
    return;
  }
  const run = await runOfficeDebugging(["stop", "manifest.xml"], ROOT);
  if (run.ok) {
    process.stdout.write("Stopped debugging and unregistered Campfire for Excel from desktop Excel.\n");
  } else {
    process.stdout.write(
      `office-addin-debugging could not stop cleanly: ${run.error ?? "no confirmation in its output"}\n` +
        "Close Excel; the add-in stays registered until office-addin-debugging stop succeeds.\n",
    );
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`npm stop failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
