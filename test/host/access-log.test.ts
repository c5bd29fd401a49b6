import { describeError, loggablePath, logLine, requestIdFor } from "../../src/host/access-log";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test("a log line is one JSON object with the time first", () => {
  expect(logLine({ level: "info", msg: "request", status: 200, aborted: undefined }, new Date("2026-12-05T10:00:00Z"))).toBe(
    '{"time":"2026-12-05T10:00:00.000Z","level":"info","msg":"request","status":200}',
  );
});

test.each([
  ["/campfire/rr/api/v1/contracts?deal_name=Acme&token=abc", "/campfire/rr/api/v1/contracts"],
  ["/taskpane.html", "/taskpane.html"],
  ["/a\u0000b c", "/a?b?c"],
  [`/${"x".repeat(300)}`, `/${"x".repeat(199)}…`],
])("logs %j as %j: never the query, never control characters", (target, logged) => {
  expect(loggablePath(target)).toBe(logged);
});

test.each<[string | string[] | undefined, boolean, string | null]>([
  ["lb-4f1c2a9e77", true, "lb-4f1c2a9e77"],
  ["lb-4f1c2a9e77", false, null],
  ["<script>", true, null],
  ["short", true, null],
  [["lb-4f1c2a9e77", "lb-other-0001"], true, null],
  [undefined, true, null],
])("request id from %j (proxy trusted: %s) → %s, else a fresh UUID", (incoming, trusted, kept) => {
  const id = requestIdFor(incoming, trusted);
  if (kept === null) expect(id).toMatch(UUID);
  else expect(id).toBe(kept);
});

test("describes an error by class and message, with a short stack", () => {
  const described = describeError(new RangeError("bad port"));
  expect(described.error).toBe("RangeError: bad port");
  expect(described.stack?.split(" | ").length).toBeLessThanOrEqual(5);
  expect(describeError("plain")).toEqual({ error: "plain" });
});
