/**
 * What a request must look like before the host does anything with it. Pure functions over the raw request target
 * and headers, so every rule can be tested as a table and the server stays a thin shell.
 *
 * Everything works on the raw, still-encoded target: decoding first would let `%2e%2e` or `%252e` smuggle a path
 * past a check and be decoded again by whatever sits behind (a proxy, a servlet container, Campfire's router).
 */

export interface Refusal {
  status: number;
  detail: string;
}

/** Longer targets are never produced by the pane; refusing them early keeps logs and checks bounded. */
export const MAX_TARGET_LENGTH = 4096;

/** Host names that are this machine: always accepted, since a page can only send them when the user browses here. */
export const LOOPBACK_HOST_NAMES = ["localhost", "127.0.0.1", "[::1]"] as const;

/**
 * Screens the request target of every request (static, relay and health alike). Returns why it is refused, or null.
 * The rules refuse the classic traversal and normalisation tricks outright instead of trying to interpret them.
 */
export function screenTarget(rawTarget: string): Refusal | null {
  if (rawTarget.length > MAX_TARGET_LENGTH) return { status: 414, detail: "Request target is too long." };
  // Absolute-form ("GET http://elsewhere/...") and authority-form targets are proxy requests.
  if (!rawTarget.startsWith("/")) return { status: 400, detail: "Only origin-form request targets are accepted." };
  const queryAt = rawTarget.indexOf("?");
  const rawPath = queryAt === -1 ? rawTarget : rawTarget.slice(0, queryAt);
  const query = queryAt === -1 ? "" : rawTarget.slice(queryAt + 1);
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f\s#]/.test(rawTarget) || /[^\x21-\x7e]/.test(rawTarget)) {
    return { status: 400, detail: "Control characters, spaces and non-ASCII bytes in the request target are refused." };
  }
  // Encoded CR/LF/NUL and other controls become header or log injection wherever something decodes them.
  if (/%(?:[01][0-9a-f]|7f)/i.test(rawTarget)) return { status: 400, detail: "Encoded control characters are refused." };
  // Overlong UTF-8 (`%c0%af` read as "/") and other encoded non-ASCII: no file or API path of the add-in has them.
  if (/%[89a-f][0-9a-f]/i.test(rawPath)) return { status: 400, detail: "Encoded non-ASCII bytes in the path are refused." };
  if (/%25/.test(rawPath)) return { status: 400, detail: "Double-encoded characters in the path are refused." };
  if (/%(?![0-9A-Fa-f]{2})/.test(rawPath)) return { status: 400, detail: "Malformed percent-encoding in the path." };
  if (/%(2e|2f|5c|00)/i.test(rawPath) || rawPath.includes("\\")) {
    return { status: 400, detail: "Encoded dots or slashes and backslashes in the path are refused." };
  }
  // `..;/` walks up a directory on servlet containers that treat `;…` as a path parameter.
  if (rawPath.includes(";")) return { status: 400, detail: "Path parameters (;) are refused." };
  const segments = rawPath.slice(1).split("/");
  if (segments.some((s) => s === "." || s === "..")) return { status: 400, detail: "Dot segments in the path are refused." };
  // "" before the last segment is `//`: after normalisation it can name another host or tree.
  if (segments.slice(0, -1).some((s) => s === "")) return { status: 400, detail: "Empty segments (//) in the path are refused." };
  if (/%(?![0-9A-Fa-f]{2})/.test(query)) return { status: 400, detail: "Malformed percent-encoding in the query." };
  return null;
}

/** `Host: Example.COM:8443` → `example.com`; `[::1]:3000` → `[::1]`; null when it is not a host name at all. */
export function hostNameOf(hostHeader: string): string | null {
  const value = hostHeader.trim().toLowerCase();
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/.exec(value);
  if (!match) return null;
  return match[1]!.replace(/\.$/, "");
}

/**
 * DNS rebinding defence: a page on attacker.example whose name later resolves to this host still sends
 * `Host: attacker.example`. Only the configured names (and this machine's own) are served.
 */
export function hostAllowed(hostHeader: string | undefined, allowed: ReadonlySet<string>): boolean {
  if (hostHeader === undefined) return false;
  const name = hostNameOf(hostHeader);
  if (name === null) return false;
  return allowed.has(name) || (LOOPBACK_HOST_NAMES as readonly string[]).includes(name);
}

/** `Addin.example.com:443` → `addin.example.com`: the default ports dropped, as URL.host drops them from Origin. */
function authorityOf(value: string): string | null {
  const name = hostNameOf(value);
  if (name === null) return null;
  const port = /:(\d{1,5})$/.exec(value.trim())?.[1];
  return port && port !== "80" && port !== "443" ? `${name}:${port}` : name;
}

/**
 * The relay carries the user's API token, so only the add-in's own pages may call it. Browsers send `Origin` on
 * every cross-origin request (and on same-origin writes) and `Sec-Fetch-Site` on all requests; either one naming
 * another site is refused. Requests without both (curl, Office's own native fetches) are not browser attacks.
 */
export function crossOriginRefusal(headers: {
  origin?: string | undefined;
  "sec-fetch-site"?: string | undefined;
  host: string | undefined;
  /** The scheme the request came by, when the host knows it (TLS here, or a trusted X-Forwarded-Proto). */
  scheme?: "http" | "https" | undefined;
}): Refusal | null {
  const refused = { status: 403, detail: "Cross-origin requests to the Campfire relay are refused." };
  const site = headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin" && site !== "none") return refused;
  const origin = headers.origin;
  if (origin === undefined) return null;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return refused; // includes "null" (sandboxed frames, file: pages)
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return refused;
  // Same host and port over another scheme is another origin (a page on http:// must not drive the https relay).
  if (headers.scheme !== undefined && url.protocol !== `${headers.scheme}:`) return refused;
  const fromOrigin = authorityOf(url.host);
  const self = headers.host === undefined ? null : authorityOf(headers.host);
  return fromOrigin !== null && fromOrigin === self ? null : refused;
}
