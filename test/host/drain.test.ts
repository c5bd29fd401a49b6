/**
 * Leaving a load balancer's pool: on shutdown /readyz says 503 at once while requests are still served for the drain
 * delay, and only then is new work refused. Readiness means "a Campfire answers there", not "anything answers".
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { startHost } from "../../src/host/server";

let staticDir: string;
beforeAll(() => {
  staticDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "host-drain-")), "dist");
  fs.mkdirSync(staticDir, { recursive: true });
  fs.writeFileSync(path.join(staticDir, "taskpane.html"), "<!doctype html><title>pane</title>");
});

/** An upstream that answers every request with `status` and a JSON body. */
async function upstreamAnswering(status: number): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end('{"detail":"x"}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

test("during the drain delay /readyz is 503 and the pane is still served; then the host stops", async () => {
  const upstream = await upstreamAnswering(401);
  const host = await startHost({ port: 0, staticDir, upstream: upstream.url, log: () => undefined });
  try {
    expect((await fetch(`${host.url}/readyz`)).status).toBe(200);
    const stopping = host.shutdown(2_000, 400);
    const ready = await fetch(`${host.url}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([503, { status: "draining", detail: "The add-in host is shutting down." }]);
    expect((await fetch(`${host.url}/taskpane.html`)).status).toBe(200);
    await stopping;
    await expect(fetch(`${host.url}/taskpane.html`)).rejects.toThrow();
  } finally {
    await upstream.close();
  }
});

test.each([
  [401, 200],
  [403, 200],
  [200, 200],
  [404, 503],
  [302, 503],
  [500, 503],
])("an upstream answering %i makes /readyz %i", async (upstreamStatus, readyStatus) => {
  const upstream = await upstreamAnswering(upstreamStatus);
  const host = await startHost({ port: 0, staticDir, upstream: upstream.url, log: () => undefined });
  try {
    const ready = await fetch(`${host.url}/readyz`, { redirect: "manual" });
    expect([ready.status, ((await ready.json()) as { campfire: string }).campfire]).toEqual([
      readyStatus,
      `Campfire answered ${upstreamStatus}`,
    ]);
  } finally {
    await host.close();
    await upstream.close();
  }
});
