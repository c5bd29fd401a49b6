/**
 * A connection left idle longer than Node's default server keep-alive (5 s) is still served. Clients reuse idle
 * connections until their own limit (Node's fetch: about 4 s, later when the machine is busy); a server that
 * closed first would reset a request sent just then — seen as ECONNRESET under load in test/app/large-table.test.ts.
 */
import net from "node:net";
import { startSandbox, type RunningSandbox } from "../../src/sandbox/server";

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());

/** Sends one GET on the socket and resolves with the status line of the answer. */
function get(socket: net.Socket, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let received = "";
    const onData = (chunk: Buffer) => {
      received += chunk.toString("latin1");
      const length = /content-length: (\d+)/i.exec(received);
      const headerEnd = received.indexOf("\r\n\r\n");
      if (length && headerEnd !== -1 && received.length >= headerEnd + 4 + Number(length[1])) {
        socket.off("data", onData);
        resolve(received.slice(0, received.indexOf("\r\n")));
      }
    };
    socket.on("data", onData);
    socket.once("error", reject);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Token ${sandbox.token}\r\nConnection: keep-alive\r\n\r\n`);
  });
}

test("a keep-alive connection idle for 6 s is neither closed nor reset by the sandbox", async () => {
  const socket = net.connect(sandbox.port, "127.0.0.1");
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  let closedByServer = false;
  socket.once("end", () => (closedByServer = true));
  expect(await get(socket, "/rr/api/v1/contracts")).toBe("HTTP/1.1 200 OK");
  await new Promise((resolve) => setTimeout(resolve, 6_000));
  expect(closedByServer).toBe(false);
  expect(await get(socket, "/rr/api/v1/contracts")).toBe("HTTP/1.1 200 OK");
  socket.destroy();
}, 20_000);
