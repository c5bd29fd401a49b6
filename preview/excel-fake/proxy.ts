/**
 * Excel's request model, shared by every proxy of the fake: nothing is read or written when a method is called or a
 * property set. Commands queue up on the request context and run, in order, at `context.sync()`; each carries its
 * request size. Reading a property that was neither loaded (`load()` + `sync()`) nor set throws PropertyNotLoaded;
 * `*OrNullObject` proxies answer `isNullObject`, and a command on a missing item fails with ItemNotFound at sync.
 */
import { FakeRichApiError, type WorkbookModel } from "./model";
import type { FakeRequestContext } from "./request-context";

/** What one queued command costs in the request besides its arguments (object path, method name, ids). */
export const COMMAND_OVERHEAD_BYTES = 60;

// The standard encoder, not the adapter's own counter: the fake must measure independently of the code it checks.
const encoder = new TextEncoder();
function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

export function jsonBytes(value: unknown): number {
  return value === undefined ? 0 : utf8Length(JSON.stringify(value) ?? "");
}

export interface Command {
  bytes: number;
  /** Returns what the command sends back (a loaded value), for the response size. */
  run(): unknown;
}

export type Resolver<T> = () => T | null;

export function notFound(what: string): FakeRichApiError {
  return new FakeRichApiError("ItemNotFound", `The requested resource doesn't exist (${what}).`);
}

function propertyNotLoaded(type: string, prop: string): FakeRichApiError {
  return new FakeRichApiError(
    "PropertyNotLoaded",
    `The property '${prop}' of ${type} is not available. Before reading the property's value, call the load method ` +
      `on the containing object and call "context.sync()" on the associated request context.`,
  );
}

export function parseLoadArg(arg: unknown): string[] {
  if (arg === undefined || arg === null) return [];
  if (typeof arg === "string")
    return arg
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  if (Array.isArray(arg)) return arg.flatMap((a) => parseLoadArg(a));
  if (typeof arg === "object" && "select" in arg) return parseLoadArg((arg as { select?: unknown }).select);
  return [];
}

export abstract class ProxyBase {
  protected readonly cache = new Map<string, unknown>();
  protected abstract readonly typeName: string;
  /** Scalar properties loaded by a bare `load()`. */
  protected abstract readonly scalarProps: readonly string[];

  constructor(readonly context: FakeRequestContext) {}

  protected get model(): WorkbookModel {
    return this.context.excel.model;
  }

  /** Reads a property as it was loaded or last set through this proxy. */
  protected got<T>(prop: string): T {
    if (!this.cache.has(prop)) throw propertyNotLoaded(this.typeName, prop);
    return this.cache.get(prop) as T;
  }

  /** Queues a property write; like office.js, the proxy remembers the value it was given. */
  protected queueSet(prop: string, value: unknown, apply: () => void): void {
    this.cache.set(prop, value);
    this.context.enqueue({ bytes: COMMAND_OVERHEAD_BYTES + jsonBytes(value), run: () => void apply() });
  }

  protected queueCall(run: () => void, args: unknown = undefined): void {
    this.context.enqueue({ bytes: COMMAND_OVERHEAD_BYTES + jsonBytes(args), run: () => void run() });
  }

  /** The value of a property from the workbook, at sync time; undefined for a property this type lacks. */
  protected abstract readProp(prop: string): unknown;

  protected child(_name: string): ProxyBase | null {
    return null;
  }

  load(arg?: unknown): this {
    const paths = parseLoadArg(arg);
    const props = paths.length ? paths : [...this.scalarProps];
    for (const path of props) {
      const slash = path.indexOf("/");
      if (slash !== -1) {
        const child = this.child(path.slice(0, slash));
        if (!child) throw new FakeRichApiError("InvalidArgument", `${this.typeName} has no navigation property "${path.slice(0, slash)}".`);
        child.load(path.slice(slash + 1));
        continue;
      }
      const child = this.child(path);
      if (child) {
        child.load();
        continue;
      }
      this.context.enqueue({
        bytes: COMMAND_OVERHEAD_BYTES,
        run: () => {
          const value = this.readProp(path);
          if (value === undefined) throw new FakeRichApiError("InvalidArgument", `${this.typeName} has no property "${path}".`);
          this.cache.set(path, value);
          return value;
        },
      });
    }
    return this;
  }

  toJSON(): Record<string, unknown> {
    return Object.fromEntries(this.cache);
  }
}

/** A proxy for something that may not exist: reads give null on a null object, commands fail with ItemNotFound. */
export abstract class ItemProxy<M> extends ProxyBase {
  constructor(
    context: FakeRequestContext,
    protected readonly resolver: Resolver<M>,
    nullable: boolean,
  ) {
    super(context);
    if (nullable) {
      this.context.enqueue({
        bytes: COMMAND_OVERHEAD_BYTES,
        run: () => {
          this.cache.set("isNullObject", this.resolver() === null);
          return false;
        },
      });
    } else {
      this.cache.set("isNullObject", false);
    }
  }

  get isNullObject(): boolean {
    return this.got<boolean>("isNullObject");
  }

  protected target(): M {
    const m = this.resolver();
    if (m === null) throw notFound(this.typeName);
    return m;
  }

  protected override readProp(prop: string): unknown {
    const m = this.resolver();
    if (m === null) return null;
    return this.readFrom(m, prop);
  }

  protected abstract readFrom(m: M, prop: string): unknown;
}
