export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/** Runs at most `max` tasks at once, the others in the order they were queued. */
export function createLimiter(max: number): Limiter {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`maxConcurrent must be a whole number ≥ 1, got ${max}`);
  let running = 0;
  const queue: Array<() => void> = [];
  const next = () => {
    running--;
    queue.shift()?.();
  };
  return <T>(task: () => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      const start = () => {
        running++;
        // A loader that throws synchronously must still free its slot.
        Promise.resolve().then(task).then(resolve, reject).finally(next);
      };
      if (running < max) start();
      else queue.push(start);
    });
}

/**
 * Runs async work over a list with at most `limit` calls in flight: enough to hide network latency, few
 * enough that Campfire does not rate-limit a push of hundreds of records.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
  onDone?: (done: number, total: number) => void,
): Promise<R[]> {
  const run = createLimiter(Math.max(1, limit));
  let done = 0;
  return Promise.all(
    items.map((item, i) =>
      run(async () => {
        const result = await work(item, i);
        done++;
        onDone?.(done, items.length);
        return result;
      }),
    ),
  );
}
