import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { generateCertificates } from "office-addin-dev-certs";
import { startHost } from "../../src/host/server";

function get(url: string, ca: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca, headers, servername: "localhost" }, (res) => {
        let body = "";
        res.on("data", (d: Buffer) => (body += d.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on("error", reject);
  });
}

test("serves and relays over HTTPS with office-addin-dev-certs certificates (CA trusted by the client only)", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "host-https-"));
  const files = { ca: path.join(dir, "ca.crt"), cert: path.join(dir, "localhost.crt"), key: path.join(dir, "localhost.key") };
  // The generator announces itself on console.log; keep the test output clean.
  const quiet = jest.spyOn(console, "log").mockImplementation(() => undefined);
  try {
    await generateCertificates(files.ca, files.cert, files.key, 1);
  } finally {
    quiet.mockRestore();
  }
  const staticDir = path.join(dir, "dist");
  fs.mkdirSync(staticDir);
  fs.writeFileSync(path.join(staticDir, "taskpane.html"), "<p>pane</p>");

  const upstream = http.createServer((req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ path: req.url, auth: req.headers.authorization }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const upstreamPort = (upstream.address() as net.AddressInfo).port;

  const host = await startHost({
    port: 0,
    https: { key: fs.readFileSync(files.key), cert: fs.readFileSync(files.cert) },
    staticDir,
    upstream: `http://127.0.0.1:${upstreamPort}`,
    log: () => undefined,
  });
  try {
    expect(host.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const ca = fs.readFileSync(files.ca);
    expect(await get(`${host.url}/taskpane.html`, ca)).toEqual({ status: 200, body: "<p>pane</p>" });
    expect(await get(`${host.url}/campfire/coa/api/entity?limit=2`, ca, { authorization: "Token abc" })).toEqual({
      status: 200,
      body: JSON.stringify({ path: "/coa/api/entity?limit=2", auth: "Token abc" }),
    });
  } finally {
    await host.close();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
