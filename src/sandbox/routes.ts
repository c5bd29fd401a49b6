/**
 * Campfire's API paths and what each answers, as pure functions of (request context, store) → result.
 * Transport concerns (auth, body reading, faults, logging) live in server.ts.
 */
import { ITEM_TYPES } from "../model/campfire-facts";
import type { ItemType } from "../model/records";
import { checkAllocationWrite } from "./allocation-rules";
import { checkCommitWrite } from "./commit-rules";
import { ITEM_PATH_SEGMENT, SandboxNotFoundError, type SandboxStore } from "./store";

export interface ApiResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Thrown by a handler to answer with a given status and body. */
export class HttpError extends Error {
  override name = "HttpError";
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

export interface RequestContext {
  method: string;
  params: Record<string, number>;
  query: URLSearchParams;
  /** Absolute URL of the request as the client addressed it (from the Host header), for next/previous links. */
  url: URL;
  /** The parsed JSON body; throws HttpError (400 parse error, 415 media type) when it cannot be read. */
  body(): unknown;
  store: SandboxStore;
  pageSize: number;
}

type Handler = (ctx: RequestContext) => ApiResult;
export interface Route {
  pattern: string;
  methods: Partial<Record<"GET" | "POST" | "PUT" | "PATCH" | "DELETE", Handler>>;
}

export const MAX_PAGE_SIZE = 1000;

/** DRF's LimitOffsetPagination: bad or missing limit → default, limit capped, bad offset → 0. */
export function paginate<T>(rows: T[], ctx: RequestContext): { count: number; next: string | null; previous: string | null; results: T[] } {
  const positive = (raw: string | null, strict: boolean): number | null => {
    if (raw === null || !/^\d+$/.test(raw)) return null;
    const n = Number(raw);
    return strict && n === 0 ? null : n;
  };
  const limit = Math.min(positive(ctx.query.get("limit"), true) ?? ctx.pageSize, MAX_PAGE_SIZE);
  const offset = positive(ctx.query.get("offset"), false) ?? 0;
  const count = rows.length;
  const link = (o: number | null) => {
    const u = new URL(ctx.url.href);
    u.searchParams.set("limit", String(limit));
    if (o === null) u.searchParams.delete("offset");
    else u.searchParams.set("offset", String(o));
    return u.href;
  };
  return {
    count,
    next: offset + limit < count ? link(offset + limit) : null,
    previous: offset <= 0 ? null : link(offset - limit > 0 ? offset - limit : null),
    results: rows.slice(offset, offset + limit),
  };
}

const ok = (body: unknown, status = 200): ApiResult => ({ status, body });
const badRequest = (errors: unknown): ApiResult => ({ status: 400, body: errors });

function p(ctx: RequestContext, name: string): number {
  const v = ctx.params[name];
  if (v === undefined) throw new Error(`route parameter ${name} missing`);
  return v;
}

function itemRoutes(type: ItemType): Route[] {
  const seg = ITEM_PATH_SEGMENT[type];
  const base = `/rr/api/v1/contracts/:cid/${seg}`;
  const list: Handler = (ctx) => {
    const rows = ctx.store.items(type, p(ctx, "cid")).map((r) => ctx.store.itemView(r));
    // Subscriptions are a plain array in the API; usage and milestones are paginated.
    return ok(type === "subscription" ? rows : paginate(rows, ctx));
  };
  const allocationWrite =
    (method: "PUT" | "PATCH"): Handler =>
    (ctx) => {
      const bundle = ctx.store.bundleOf(type, p(ctx, "cid"), p(ctx, "id"));
      const products = {
        exists: (id: number) => ctx.store.product(id) !== undefined,
        code: (id: number) => ctx.store.product(id)?.product_id ?? null,
      };
      const r = checkAllocationWrite(ctx.body(), bundle, products, method);
      if (!r.ok) return badRequest(r.errors);
      ctx.store.setLineAmounts(bundle, r.amounts);
      return ok(ctx.store.bundleView(bundle));
    };
  return [
    { pattern: base, methods: { GET: list } },
    { pattern: `${base}/:id`, methods: { GET: (ctx) => ok(ctx.store.itemView(ctx.store.item(type, p(ctx, "cid"), p(ctx, "id")))) } },
    {
      pattern: `${base}/:id/allocations`,
      methods: {
        GET: (ctx) => ok(ctx.store.bundleView(ctx.store.bundleOf(type, p(ctx, "cid"), p(ctx, "id")))),
        PUT: allocationWrite("PUT"),
        PATCH: allocationWrite("PATCH"),
      },
    },
  ];
}

function commitLookups(store: SandboxStore) {
  return {
    entityExists: (id: number) => store.data.entities.some((e) => e.id === id),
    productExists: (id: number) => store.product(id) !== undefined,
    departmentExists: (id: number) => store.data.departments.some((d) => d.id === id),
  };
}

const commitRoutes: Route[] = [
  {
    pattern: "/rr/api/v1/contracts/:cid/prepaid-commits",
    methods: {
      GET: (ctx) =>
        ok(
          paginate(
            ctx.store.commits(p(ctx, "cid")).map((c) => ctx.store.commitView(c)),
            ctx,
          ),
        ),
      POST: (ctx) => {
        const cid = p(ctx, "cid");
        ctx.store.contract(cid);
        const r = checkCommitWrite(ctx.body(), "POST", null, commitLookups(ctx.store));
        if (!r.ok) return badRequest(r.errors);
        return ok(ctx.store.commitView(ctx.store.createCommit(cid, r.fields)), 201);
      },
    },
  },
  {
    pattern: "/rr/api/v1/contracts/:cid/prepaid-commits/:id",
    methods: {
      GET: (ctx) => ok(ctx.store.commitView(ctx.store.commit(p(ctx, "cid"), p(ctx, "id")))),
      PUT: (ctx) => writeCommit(ctx, "PUT"),
      PATCH: (ctx) => writeCommit(ctx, "PATCH"),
      DELETE: (ctx) => {
        ctx.store.deleteCommit(p(ctx, "cid"), p(ctx, "id"));
        return { status: 204 };
      },
    },
  },
];

function writeCommit(ctx: RequestContext, method: "PUT" | "PATCH"): ApiResult {
  const c = ctx.store.commit(p(ctx, "cid"), p(ctx, "id"));
  const r = checkCommitWrite(ctx.body(), method, c, commitLookups(ctx.store));
  if (!r.ok) return badRequest(r.errors);
  return ok(ctx.store.commitView(ctx.store.updateCommit(c, r.fields)));
}

function byId<T extends { id: number }>(rows: T[], id: number): T {
  const row = rows.find((r) => r.id === id);
  if (!row) throw new SandboxNotFoundError(`No row ${id}.`);
  return row;
}

export const ROUTES: Route[] = [
  { pattern: "/rr/api/v1/contracts", methods: { GET: (ctx) => ok(paginate(ctx.store.data.contracts, ctx)) } },
  { pattern: "/rr/api/v1/contracts/:cid", methods: { GET: (ctx) => ok(ctx.store.contract(p(ctx, "cid"))) } },
  ...ITEM_TYPES.flatMap(itemRoutes),
  ...commitRoutes,
  { pattern: "/rr/api/v1/product", methods: { GET: (ctx) => ok(paginate(ctx.store.data.products, ctx)) } },
  { pattern: "/rr/api/v1/product/:id", methods: { GET: (ctx) => ok(byId(ctx.store.data.products, p(ctx, "id"))) } },
  { pattern: "/coa/api/entity", methods: { GET: (ctx) => ok(ctx.store.data.entities) } },
  { pattern: "/coa/api/entity/:id", methods: { GET: (ctx) => ok(byId(ctx.store.data.entities, p(ctx, "id"))) } },
  { pattern: "/coa/api/department", methods: { GET: (ctx) => ok(paginate(ctx.store.data.departments, ctx)) } },
];

/** Matches a path against the table; `:name` segments must be decimal integers (anything else is a 404). */
export function matchRoute(routes: Route[], pathname: string): { route: Route; params: Record<string, number> } | null {
  const parts = pathname.replace(/\/+$/, "").split("/");
  for (const route of routes) {
    const pat = route.pattern.split("/");
    if (pat.length !== parts.length) continue;
    const params: Record<string, number> = {};
    let matched = true;
    for (let i = 0; i < pat.length && matched; i++) {
      const want = pat[i]!;
      const got = parts[i]!;
      if (want.startsWith(":")) {
        if (/^\d{1,15}$/.test(got)) params[want.slice(1)] = Number(got);
        else matched = false;
      } else if (want !== got) matched = false;
    }
    if (matched) return { route, params };
  }
  return null;
}
