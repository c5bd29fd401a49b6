/**
 * Review and push of N changed prepaid commits spread over K contracts. The API lists a contract's commits with
 * their last_modified_at in one request, so the review's conflict check needs one list per contract, the read just
 * before the writes (Campfire has no conditional write) one more, and the push one write per commit: N + 2K
 * requests in all, however many commits a contract holds.
 */
import { commitOps } from "../src/app/table-kinds";
import type { TableSpec } from "../src/app/ports";
import { formatLocalAddress } from "../src/domain/a1";
import { makeLargeData } from "../src/sandbox/seed";
import type { Grid } from "./report";
import { excelWorkbench, seconds, startBackend } from "./support";

export const COMMITS_SPEC = commitOps.layout as TableSpec;

export interface CommitPush {
  contracts: number;
  commits: number;
  planRequests: number;
  pushRequests: number;
  writes: number;
  grid: Grid;
  seconds: number;
}

export async function commitPush(options: { contracts: number; commitsPerContract: number }): Promise<CommitPush> {
  const started = performance.now();
  const K = options.contracts;
  const data = makeLargeData(K * 50, 1);
  if (data.contracts.length !== K) throw new Error(`makeLargeData made ${data.contracts.length} contracts, expected ${K}`);
  // makeLargeData gives each contract one commit; copies with new ids make the rest.
  const firsts = [...data.prepaidCommits];
  for (const first of firsts) {
    for (let i = 1; i < options.commitsPerContract; i++) {
      data.prepaidCommits.push({ ...first, id: first.id * 100 + i, name: `${first.name} (${i + 1})` });
    }
  }
  const N = data.prepaidCommits.length;
  const backend = await startBackend({ data });
  try {
    const bench = excelWorkbench(backend.session);
    const pull = await bench.workbench.pull(
      "commits",
      data.contracts.map((c) => c.id),
    );
    if (pull.records !== N) throw new Error(`pulled ${pull.records} commits, expected ${N}`);
    const table = await bench.excel.readTable(COMMITS_SPEC);
    if (!table) throw new Error("the prepaid commits table is missing after the pull");
    const descriptionAt = table.headers.indexOf("Description");
    if (descriptionAt < 0) throw new Error(`unexpected headers: ${table.headers.join(", ")}`);
    for (let row = 0; row < table.rows.length; row++) {
      const address = formatLocalAddress({
        row: table.headerRow + row,
        column: table.firstColumn + descriptionAt,
        rowCount: 1,
        columnCount: 1,
      });
      await bench.fake.edit(table.sheetName, address, `Edited in the bench, row ${row + 1}`);
    }

    backend.meter.reset();
    const plan = await bench.workbench.planPush("commits");
    if (plan.recordKeys.length !== N || plan.conflicts.length || plan.blocked.length) {
      throw new Error(
        `plan: ${plan.recordKeys.length} of ${N} records, ${plan.conflicts.length} conflicts, ${plan.blocked.length} blocked`,
      );
    }
    const planRequests = backend.meter.count();
    backend.meter.reset();
    const push = await bench.workbench.push(plan);
    if (push.succeeded !== N) throw new Error(`push: ${push.succeeded} of ${N} succeeded: ${JSON.stringify(push.results.slice(0, 2))}`);
    const pushRequests = backend.meter.count();
    const writes = backend.meter.count("PATCH") + backend.meter.count("PUT");
    return {
      contracts: K,
      commits: N,
      planRequests,
      pushRequests,
      writes,
      grid: {
        title: `Review and push of N = ${N} changed prepaid commits in K = ${K} contracts`,
        columns: ["step", "requests", "writes", "reads"],
        rows: [
          ["review (planPush)", planRequests, 0, planRequests],
          ["push", pushRequests, writes, pushRequests - writes],
        ],
      },
      seconds: seconds(started),
    };
  } finally {
    await backend.close();
  }
}
