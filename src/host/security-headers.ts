/**
 * Security headers. Every response gets `nosniff` (a relayed or static body is never re-interpreted as HTML or
 * script); the add-in's pages get a Content-Security-Policy that lets them load only the add-in's own files and
 * Office.js, talk only to their own origin (the relay), and be framed only by Office.
 */
import crypto from "node:crypto";

/** Where taskpane.html loads Office.js from (Microsoft's CDN, as Office requires for a published add-in). */
export const OFFICE_SCRIPT_HOST = "https://appsforoffice.microsoft.com";

/**
 * The pages that frame the task pane in Office on the web (Excel on the web under office.com, microsoft365.com,
 * cloud.microsoft, SharePoint/OneDrive for business and OneDrive personal). Desktop Office shows the pane as a
 * top-level document in a webview, where frame-ancestors does not apply.
 */
export const DEFAULT_FRAME_ANCESTORS = [
  "'self'",
  "https://*.officeapps.live.com",
  "https://*.office.com",
  "https://*.office365.com",
  "https://*.microsoft365.com",
  "https://*.cloud.microsoft",
  "https://*.sharepoint.com",
  "https://onedrive.live.com",
] as const;

/** Headers every response carries, whatever produced it. */
export const BASE_SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
} as const;

/** Non-page responses (JSON, scripts, images, errors) must never render as a document or be framed. */
export const NON_PAGE_CSP = "default-src 'none'; frame-ancestors 'none'";

/** 'sha256-…' sources for the inline <script> blocks of a page (the preview page has one; the pane has none). */
export function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    if (/\bsrc\s*=/i.test(match[1] ?? "")) continue;
    const body = match[2] ?? "";
    hashes.push(`'sha256-${crypto.createHash("sha256").update(body, "utf8").digest("base64")}'`);
  }
  return hashes;
}

/**
 * The policy of one page. Styles allow 'unsafe-inline' because the pane injects its stylesheet at run time and the
 * preview grid styles cells through style attributes; CSS cannot run script, and script stays strict.
 */
export function pageCsp(html: string, frameAncestors: readonly string[] = DEFAULT_FRAME_ANCESTORS): string {
  const scripts = ["'self'", OFFICE_SCRIPT_HOST, ...inlineScriptHashes(html)];
  return [
    "default-src 'self'",
    `script-src ${scripts.join(" ")}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors.join(" ")}`,
  ].join("; ");
}
