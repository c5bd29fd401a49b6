export type { CampfireApi, ClientOptions } from "./campfire-api";
export { createCampfireClient, DEFAULT_PAGE_SIZE } from "./client";
export * from "./errors";
export {
  createHttp,
  createKy,
  resolveBaseUrl,
  retryDelayMs,
  parseRetryAfterMs,
  DEFAULTS,
  DEFAULT_RETRY_POLICY,
  type Http,
  type Method,
  type RetryPolicy,
} from "./http";
export * from "./paths";
