/**
 * Reading a paginated list from servers whose `next` never ends. Each case is a small real HTTP server
 * (node:http), not a mocked fetch: the client's whole request path runs, and the server counts what it got.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createCampfireClient } from "../../src/api";
import { ResponseShapeError } from "../../src/api/errors";
import { contractsPath } from "../../src/api/paths";

interface Page {
  count: number;
  results: { id: number; deal_name: string }[];
  /** Whether this page offers a next page (always at offset + limit). */
  more: boolean;
}

const contract = (id: number) => ({ id, deal_name: `Deal ${id}` });

/** A server for GET /rr/api/v1/contracts answering page `n` (0-based, from offset / limit) with `pageAt(n)`. */
async function listServer(pageAt: (n: number) => Page) {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://stub");
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    // A runaway client is cut off here so a failing test ends instead of spinning.
    if (requests.length > 50 || url.pathname !== contractsPath()) {
      res.writeHead(404, { "content-type": "application/json" }).end('{"detail":"stub: no such page"}');
      return;
    }
    const limit = Number(url.searchParams.get("limit"));
    const offset = Number(url.searchParams.get("offset") ?? 0);
    const page = pageAt(offset / limit);
    const next = page.more ? `http://${req.headers.host}${contractsPath()}?limit=${limit}&offset=${offset + limit}` : null;
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ count: page.count, next, previous: null, results: page.results }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}`, requests, close: () => new Promise((r) => server.close(r)) };
}

const prefix = `Unexpected response from GET ${contractsPath()}: next: `;

test.each([
  {
    name: "an offset running on over empty pages (count 1, no results)",
    pageSize: 500,
    pageAt: (): Page => ({ count: 1, results: [], more: true }),
    requests: 1,
    message: `${prefix}page 1 has no results but still points to a next page`,
  },
  {
    name: "one record, then empty pages that still point onward",
    pageSize: 1,
    pageAt: (n: number): Page => ({ count: 1, results: n === 0 ? [contract(1)] : [], more: true }),
    requests: 2,
    message: `${prefix}page 2 has no results but still points to a next page`,
  },
  {
    name: "the same record on every page, for ever",
    pageSize: 1,
    pageAt: (): Page => ({ count: 2, results: [contract(1)], more: true }),
    requests: 3,
    message: `${prefix}points to page 4, but count 2 in pages of 1 allows at most 3`,
  },
])("stops with ResponseShapeError: $name", async ({ pageSize, pageAt, requests, message }) => {
  const stub = await listServer(pageAt);
  try {
    const api = createCampfireClient({ baseUrl: stub.baseUrl, token: "stub-token", retries: 0, pageSize });
    const error = await api.listContracts().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseShapeError);
    expect((error as ResponseShapeError).message).toBe(message);
    expect((error as ResponseShapeError).path).toBe(contractsPath());
    expect(stub.requests).toHaveLength(requests);
  } finally {
    await stub.close();
  }
});

test("a record added while the list is read fits in the spare page", async () => {
  // A server that counted 2 before the third record landed: three pages of one is the most count 2 allows.
  const stub = await listServer((n) => ({ count: 2, results: [contract(n + 1)], more: n < 2 }));
  try {
    const api = createCampfireClient({ baseUrl: stub.baseUrl, token: "stub-token", retries: 0, pageSize: 1 });
    expect((await api.listContracts()).map((c) => c.id)).toEqual([1, 2, 3]);
    expect(stub.requests).toEqual([
      `GET ${contractsPath()}?limit=1`,
      `GET ${contractsPath()}?limit=1&offset=1`,
      `GET ${contractsPath()}?limit=1&offset=2`,
    ]);
  } finally {
    await stub.close();
  }
});
