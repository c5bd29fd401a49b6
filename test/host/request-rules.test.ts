import { fc, test as fcTest } from "@fast-check/jest";
import { crossOriginRefusal, hostAllowed, hostNameOf, screenTarget } from "../../src/host/request-rules";
import { inlineScriptHashes, pageCsp } from "../../src/host/security-headers";

/** Characters the pane's real paths are made of. */
const SAFE_SEGMENT = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/);
const SAFE_PATH = fc.array(SAFE_SEGMENT, { minLength: 1, maxLength: 6 }).map((segments) => `/${segments.join("/")}`);

describe("screenTarget", () => {
  test.each([
    ["/", null],
    ["/taskpane.html?_host_Info=Excel$Win32$16.01$en-US$$$$0", null],
    ["/campfire/rr/api/v1/contracts?last_modified_at__gte=2026-01-01T00:00:00%2B00:00", null],
    ["/assets/", null],
    ["*", { status: 400, detail: "Only origin-form request targets are accepted." }],
    ["evil.example:443", { status: 400, detail: "Only origin-form request targets are accepted." }],
    ["/a b", { status: 400, detail: "Control characters, spaces and non-ASCII bytes in the request target are refused." }],
    ["/é", { status: 400, detail: "Control characters, spaces and non-ASCII bytes in the request target are refused." }],
    ["/a%0a", { status: 400, detail: "Encoded control characters are refused." }],
    ["/a?q=%7F", { status: 400, detail: "Encoded control characters are refused." }],
    ["/a%c3%a9", { status: 400, detail: "Encoded non-ASCII bytes in the path are refused." }],
    ["/a%2541", { status: 400, detail: "Double-encoded characters in the path are refused." }],
    ["/a%zz", { status: 400, detail: "Malformed percent-encoding in the path." }],
    ["/a?q=%z", { status: 400, detail: "Malformed percent-encoding in the query." }],
    ["/a?q=%25", null],
    ["/a/%2E/b", { status: 400, detail: "Encoded dots or slashes and backslashes in the path are refused." }],
    ["/a/..;/b", { status: 400, detail: "Path parameters (;) are refused." }],
    ["/a/./b", { status: 400, detail: "Dot segments in the path are refused." }],
    ["/a/..", { status: 400, detail: "Dot segments in the path are refused." }],
    ["/a//b", { status: 400, detail: "Empty segments (//) in the path are refused." }],
    [`/${"a".repeat(4096)}`, { status: 414, detail: "Request target is too long." }],
  ])("%s → %j", (target, expected) => {
    expect(screenTarget(target)).toEqual(expected);
  });

  fcTest.prop([SAFE_PATH, fc.option(fc.stringMatching(/^[A-Za-z0-9=&_.-]{0,20}$/), { nil: undefined })])(
    "lets every plain path (and plain query) through",
    (path, query) => {
      expect(screenTarget(query === undefined ? path : `${path}?${query}`)).toBeNull();
    },
  );

  fcTest.prop([SAFE_PATH, SAFE_PATH, fc.constantFrom("%252e%252e", "%252E%252E", "%25%32%65", "..;", ";", "%2e%2e", "%2E.", "%2f", "%5c")])(
    "refuses any path with a double-encoded, encoded or parameterised step, wherever it sits",
    (before, after, trick) => {
      expect(screenTarget(`${before}/${trick}${after}`)?.status).toBe(400);
    },
  );
});

describe("hostAllowed", () => {
  const allowed = new Set(["addin.example.com"]);
  test.each([
    ["addin.example.com", true],
    ["ADDIN.example.com:443", true],
    ["addin.example.com.", true],
    ["localhost:3000", true],
    ["127.0.0.1", true],
    ["[::1]:3000", true],
    ["evil.example", false],
    ["addin.example.com.evil.example", false],
    ["evil.example/addin.example.com", false],
    ["addin.example.com@evil.example", false],
    ["127.0.0.2", false],
    ["", false],
    [undefined, false],
  ])("%s → %s", (header, expected) => {
    expect(hostAllowed(header, allowed)).toBe(expected);
  });

  test("hostNameOf drops the port and case, and refuses what is not a host name", () => {
    expect(["Addin.Example.com:8443", "[::1]:80", "a b", "x:99999999"].map(hostNameOf)).toEqual(["addin.example.com", "[::1]", null, null]);
  });
});

describe("crossOriginRefusal", () => {
  const refused = { status: 403, detail: "Cross-origin requests to the Campfire relay are refused." };
  test.each([
    [{ host: "addin.example.com" }, null],
    [{ host: "addin.example.com", origin: "https://addin.example.com" }, null],
    [{ host: "addin.example.com:443", origin: "https://addin.example.com" }, null],
    [{ host: "localhost:3000", origin: "https://localhost:3000", "sec-fetch-site": "same-origin" }, null],
    [{ host: "localhost:3000", "sec-fetch-site": "none" }, null],
    [{ host: "localhost:3000", origin: "https://localhost:3001" }, refused],
    [{ host: "addin.example.com", origin: "https://evil.example" }, refused],
    [{ host: "addin.example.com", origin: "null" }, refused],
    [{ host: "addin.example.com", origin: "file:///C:/x.html" }, refused],
    [{ host: "addin.example.com", "sec-fetch-site": "cross-site" }, refused],
    [{ host: "addin.example.com", "sec-fetch-site": "same-site" }, refused],
    // The scheme counts when the host knows it: the same host over http is another origin.
    [{ host: "addin.example.com", origin: "http://addin.example.com", scheme: "https" as const }, refused],
    [{ host: "addin.example.com", origin: "https://addin.example.com", scheme: "https" as const }, null],
    [{ host: "localhost:3000", origin: "http://localhost:3000", scheme: "http" as const }, null],
  ])("%j → %j", (headers, expected) => {
    expect(crossOriginRefusal(headers)).toEqual(expected);
  });
});

describe("page CSP", () => {
  test("hashes inline scripts only (not scripts with src), exactly as the browser hashes their text", () => {
    const html = '<script src="a.js"></script><script>var a = 1;</script><SCRIPT type="module">b()</SCRIPT>';
    // echo -n 'var a = 1;' | openssl dgst -sha256 -binary | base64 (and 'b()')
    expect(inlineScriptHashes(html)).toEqual([
      "'sha256-+dZ6udsWxNVoGfScAq7t5IIF5UJb4F6RhjbN6oe1p4w='",
      "'sha256-cf242PFc/kb7xD0Qzhsmd9vvRkc+cWFmbi+k+YvtdKc='",
    ]);
  });

  test("takes the configured frame ancestors", () => {
    expect(pageCsp("<p></p>", ["https://*.officeapps.live.com"])).toBe(
      "default-src 'self'; script-src 'self' https://appsforoffice.microsoft.com; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors https://*.officeapps.live.com",
    );
  });
});
