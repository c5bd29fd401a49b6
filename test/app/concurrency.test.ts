import { createLimiter, mapLimit } from "../../src/app/concurrency";

describe("mapLimit", () => {
  it("never has more than `limit` calls in flight, and keeps results in input order", async () => {
    let inFlight = 0;
    let most = 0;
    const progress: string[] = [];
    const results = await mapLimit(
      [5, 1, 4, 2, 3, 0, 6],
      3,
      async (n) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, n));
        inFlight--;
        return n * 10;
      },
      (done, total) => progress.push(`${done}/${total}`),
    );
    expect(results).toEqual([50, 10, 40, 20, 30, 0, 60]);
    expect(most).toBe(3);
    expect(progress).toEqual(["1/7", "2/7", "3/7", "4/7", "5/7", "6/7", "7/7"]);
  });

  it("handles an empty list", async () => {
    expect(await mapLimit([], 4, async () => 1)).toEqual([]);
  });
});

describe("createLimiter", () => {
  test("a task that throws synchronously rejects and frees its slot", async () => {
    const limit = createLimiter(1);
    await expect(
      limit(() => {
        throw new Error("sync failure");
      }),
    ).rejects.toThrow("sync failure");
    expect(await limit(async () => "next")).toBe("next");
  });

  test.each([0, -1, 1.5, Number.NaN])("rejects a bound of %p", (max) => {
    expect(() => createLimiter(max)).toThrow("maxConcurrent must be a whole number ≥ 1");
  });
});
