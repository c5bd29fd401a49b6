export type { CampfireApi, ClientOptions } from "./campfire-api";
export { createCampfireClient, DEFAULT_PAGE_SIZE } from "./client";
export * from "./errors";
export { createHttp, createKy, resolveBaseUrl, retryDelayMs, parseRetryAfterMs, DEFAULTS, type Http, type Method } from "./http";
export * from "./paths";
