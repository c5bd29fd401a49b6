/**
 * Operations that write tables and the kept pulled data run one at a time, whoever starts them: a Refresh pressed
 * on the ribbon while the pane's push is sending waits for the push, so neither saves over what the other read.
 */
import { ALLOCATIONS, lineRow, startBench, type Bench } from "./workbench-helpers";

let bench: Bench | undefined;
afterEach(async () => {
  await bench?.close();
  bench = undefined;
});

it("a refresh started during a push begins after the push's last request, and keeps what the push saved", async () => {
  // Latency so that, run side by side, the refresh's first read would answer before the push's write.
  bench = await startBench({ sandbox: { latencyMs: 30 } });
  await bench.workbench.pull("allocations", [1]);
  const wb = bench.workbook;
  wb.type(ALLOCATIONS, lineRow(wb, 7001), "Amount", 33333.3);
  wb.type(ALLOCATIONS, lineRow(wb, 7002), "Amount", 33333.36);
  const plan = await bench.workbench.planPush("allocations");
  bench.clearRequests();

  const [report, refreshed] = await Promise.all([bench.workbench.push(plan), bench.workbench.refresh("allocations")]);
  expect(report.succeeded).toBe(1);
  expect(refreshed.kind).toBe("allocations");
  const sent = bench.sandbox.requests.map((r) => `${r.method} ${r.path}`);
  const lastWrite = sent.map((r) => r.startsWith("PATCH ")).lastIndexOf(true);
  const firstRefreshRead = sent.indexOf("GET /rr/api/v1/contracts/1");
  expect(lastWrite).toBeGreaterThanOrEqual(0);
  expect(firstRefreshRead).toBeGreaterThan(lastWrite);
  // The refresh read the pushed values as Campfire's: nothing is left to push.
  expect((await bench.workbench.planPush("allocations")).sendCount).toBe(0);
});
