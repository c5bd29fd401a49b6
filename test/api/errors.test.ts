import {
  AuthError,
  CampfireError,
  NetworkError,
  NotFoundError,
  RateLimitedError,
  ServerError,
  TimeoutError,
  UnexpectedStatusError,
  ValidationError,
  aboutDuration,
  errorForStatus,
  flattenDrfErrors,
  formatPath,
  toCampfireError,
} from "../../src/api/errors";

describe("flattenDrfErrors", () => {
  test.each([
    ["field list", { name: ["This field is required."] }, [{ path: "name", message: "This field is required." }]],
    [
      "several messages on one field",
      { total_value: ["A valid number is required.", "Too big."] },
      [
        { path: "total_value", message: "A valid number is required." },
        { path: "total_value", message: "Too big." },
      ],
    ],
    [
      "line errors as a list with gaps",
      { lines: [{}, { amount: ["Ensure this value is less than 1e18."] }, {}, { product: ["Invalid pk."] }] },
      [
        { path: "lines[1].amount", message: "Ensure this value is less than 1e18.", lineIndex: 1 },
        { path: "lines[3].product", message: "Invalid pk.", lineIndex: 3 },
      ],
    ],
    [
      "line errors keyed by index (ListField)",
      { lines: { "2": { amount: ["Bad."] } } },
      [{ path: "lines[2].amount", message: "Bad.", lineIndex: 2 }],
    ],
    [
      "a message on the list itself",
      { lines: ["This list may not be empty."] },
      [{ path: "lines", message: "This list may not be empty." }],
    ],
    [
      "non-field errors",
      { non_field_errors: ["Line amounts must sum to 1200.00."] },
      [{ path: "non_field_errors", message: "Line amounts must sum to 1200.00." }],
    ],
    ["a bare list of strings", ["Nope."], [{ path: "non_field_errors", message: "Nope." }]],
    ["a bare string", "Bad request", [{ path: "non_field_errors", message: "Bad request" }]],
    ["detail", { detail: "JSON parse error" }, [{ path: "detail", message: "JSON parse error" }]],
    ["nested object", { tags: { group: ["Unknown."] } }, [{ path: "tags.group", message: "Unknown." }]],
    ["empty body", undefined, [{ path: "non_field_errors", message: "Campfire gave no details" }]],
    ["empty object", {}, [{ path: "non_field_errors", message: "Campfire gave no details" }]],
  ])("%s", (_, body, expected) => {
    expect(flattenDrfErrors(body)).toEqual(expected);
  });
});

test.each([
  [["results", 2, "total_amount"], "results[2].total_amount"],
  [[0, "id"], "[0].id"],
  [["lines", 0], "lines[0]"],
  [[], ""],
])("formatPath(%p) → %s", (path, expected) => {
  expect(formatPath(path)).toBe(expected);
});

test.each([
  [1, "about 1 second"],
  [59, "about 59 seconds"],
  [60, "about 1 minute"],
  [150, "about 3 minutes"],
  [3569, "about 59 minutes"],
  [3599, "about 1 hour"],
  [3600, "about 1 hour"],
  [86400, "about 24 hours"],
  [170000, "about 47 hours"],
  [171000, "about 2 days"],
  [1_000_000, "about 12 days"],
  [0.2, "about 1 second"],
])("aboutDuration(%i) → %s", (seconds, expected) => {
  expect(aboutDuration(seconds)).toBe(expected);
});

describe("errorForStatus", () => {
  const context = { method: "PUT", path: "/rr/api/v1/contracts/1/prepaid-commits/2", attempts: 1 };
  test.each([
    [400, { name: ["Too long."] }, ValidationError, "Campfire rejected PUT /rr/api/v1/contracts/1/prepaid-commits/2: name: Too long."],
    [
      401,
      { detail: "Invalid token." },
      AuthError,
      "Campfire did not accept the API token (401) for PUT /rr/api/v1/contracts/1/prepaid-commits/2: Invalid token.",
    ],
    [403, undefined, AuthError, "The API user's role does not allow this request (403) for PUT /rr/api/v1/contracts/1/prepaid-commits/2"],
    [
      404,
      { detail: "Not found." },
      NotFoundError,
      "Campfire has no such record (404) for PUT /rr/api/v1/contracts/1/prepaid-commits/2: Not found.",
    ],
    [429, undefined, RateLimitedError, "Campfire is rate limiting (429) PUT /rr/api/v1/contracts/1/prepaid-commits/2"],
    [502, "Bad gateway", ServerError, "Campfire failed (502) on PUT /rr/api/v1/contracts/1/prepaid-commits/2: Bad gateway"],
    [
      405,
      { error: "Method not allowed" },
      UnexpectedStatusError,
      "Campfire answered 405 to PUT /rr/api/v1/contracts/1/prepaid-commits/2: Method not allowed",
    ],
  ])("%i", (status, body, type, message) => {
    const error = errorForStatus({ ...context, status }, body);
    expect(error).toBeInstanceOf(type);
    expect(error).toBeInstanceOf(CampfireError);
    expect(error.message).toBe(message);
    expect(error.name).toBe(type.name);
    expect(error.status).toBe(status);
    expect(String(error.stack).split("\n")[0]).toBe(`${type.name}: ${message}`);
  });

  test("a long detail is cut to 200 characters", () => {
    const error = errorForStatus({ ...context, status: 500 }, { detail: "x".repeat(500) });
    expect(error.message).toBe(`Campfire failed (500) on PUT /rr/api/v1/contracts/1/prepaid-commits/2: ${"x".repeat(200)}`);
  });
});

describe("toCampfireError", () => {
  test("keeps a CampfireError as it is", () => {
    const error = new NotFoundError({ method: "GET", path: "/x" });
    expect(toCampfireError(error)).toBe(error);
  });

  test("a fetch TypeError is a NetworkError with the socket code and no cause", () => {
    const raw = new TypeError("fetch failed", { cause: Object.assign(new Error("connect"), { code: "ECONNRESET" }) });
    const error = toCampfireError(raw);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).code).toBe("ECONNRESET");
    expect(error.cause).toBeUndefined();
  });

  test("an error named TimeoutError is a TimeoutError", () => {
    const raw = Object.assign(new Error("Request timed out"), { name: "TimeoutError" });
    expect(toCampfireError(raw)).toBeInstanceOf(TimeoutError);
  });

  test.each([
    [new RangeError("bad"), "RangeError: bad"],
    ["a string", "Unexpected failure: a string"],
    [undefined, "Unexpected failure: undefined"],
  ])("anything else is a plain CampfireError: %p", (raw, message) => {
    const error = toCampfireError(raw);
    expect(error.constructor).toBe(CampfireError);
    expect(error.message).toBe(message);
  });
});
