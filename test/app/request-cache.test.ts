import { RequestCache } from "../../src/app/request-cache";

/** A promise the test settles by hand. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe("RequestCache", () => {
  let clock: number;
  const now = () => clock;
  beforeEach(() => {
    clock = 1_000_000;
  });

  test("identical keys asked while in flight share one load", async () => {
    const cache = new RequestCache({ now });
    const pending = deferred<string>();
    const load = jest.fn(() => pending.promise);
    const answers = Array.from({ length: 50 }, () => cache.get("bundle:1", load));
    pending.resolve("B1");
    expect(await Promise.all(answers)).toEqual(Array(50).fill("B1"));
    expect(load).toHaveBeenCalledTimes(1);
  });

  test("a success is reused until the TTL passes, then loaded again", async () => {
    const cache = new RequestCache({ now, ttlMs: 30_000 });
    let calls = 0;
    const load = async () => `answer ${++calls}`;
    expect(await cache.get("k", load)).toBe("answer 1");
    clock += 29_999;
    expect(await cache.get("k", load)).toBe("answer 1");
    clock += 1;
    expect(await cache.get("k", load)).toBe("answer 2");
  });

  test("different keys load separately", async () => {
    const cache = new RequestCache({ now });
    const load = jest.fn(async () => "x");
    await Promise.all([cache.get("a", load), cache.get("b", load), cache.get("a", load)]);
    expect(load).toHaveBeenCalledTimes(2);
    expect(cache.size).toBe(2);
  });

  test("a failure is shared by concurrent callers but kept only for errorTtlMs", async () => {
    const cache = new RequestCache({ now, errorTtlMs: 2_000 });
    let calls = 0;
    const load = async () => {
      calls++;
      if (calls === 1) throw new Error("network down");
      return "ok";
    };
    const both = [cache.get("k", load), cache.get("k", load)];
    await expect(both[0]).rejects.toThrow("network down");
    await expect(both[1]).rejects.toThrow("network down");
    clock += 1_999;
    await expect(cache.get("k", load)).rejects.toThrow("network down");
    expect(calls).toBe(1);
    clock += 1;
    expect(await cache.get("k", load)).toBe("ok");
    expect(calls).toBe(2);
  });

  test("errorTtlMs 0 forgets a failure as soon as it settles", async () => {
    const cache = new RequestCache({ now, errorTtlMs: 0 });
    let calls = 0;
    const load = async () => {
      calls++;
      throw new Error(`fail ${calls}`);
    };
    await expect(cache.get("k", load)).rejects.toThrow("fail 1");
    await flush();
    expect(cache.size).toBe(0);
    await expect(cache.get("k", load)).rejects.toThrow("fail 2");
  });

  test("clear() drops fresh answers", async () => {
    const cache = new RequestCache({ now });
    let calls = 0;
    const load = async () => ++calls;
    expect(await cache.get("k", load)).toBe(1);
    cache.clear();
    expect(cache.size).toBe(0);
    expect(await cache.get("k", load)).toBe(2);
  });

  test("a load in flight during clear() still answers its callers but is not kept", async () => {
    const cache = new RequestCache({ now });
    const stale = deferred<string>();
    const first = cache.get("k", () => stale.promise);
    cache.clear();
    const second = cache.get("k", async () => "fresh");
    stale.resolve("stale");
    expect(await first).toBe("stale");
    expect(await second).toBe("fresh");
    await flush();
    expect(await cache.get("k", async () => "third")).toBe("fresh");
  });

  test("at most maxConcurrent loads run at once; the rest queue in order", async () => {
    const cache = new RequestCache({ now, maxConcurrent: 3 });
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const gates = Array.from({ length: 10 }, () => deferred<void>());
    const answers = gates.map((gate, i) =>
      cache.get(`k${i}`, async () => {
        started.push(i);
        running++;
        peak = Math.max(peak, running);
        await gate.promise;
        running--;
        return i;
      }),
    );
    await flush();
    expect(started).toEqual([0, 1, 2]);
    gates[1]!.resolve();
    await flush();
    expect(started).toEqual([0, 1, 2, 3]);
    gates.forEach((gate) => gate.resolve());
    expect(await Promise.all(answers)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(peak).toBe(3);
  });

  test("expired entries are pruned so the map does not grow without bound", async () => {
    const cache = new RequestCache({ now, ttlMs: 1_000, errorTtlMs: 1_000 });
    for (let i = 0; i < 20; i++) await cache.get(`k${i}`, async () => i);
    expect(cache.size).toBe(20);
    clock += 1_000;
    await cache.get("new", async () => "n");
    expect(cache.size).toBe(1);
  });
});
