/** The request context an `Excel.run` batch gets: its command queue, and `sync()`, which hands the queue to the fake. */
import type { FakeExcel } from "./fake-excel";
import type { Command } from "./proxy";
import { WorkbookProxy } from "./workbook";

export class FakeRequestContext {
  readonly workbook: WorkbookProxy;
  readonly trackedObjects = { add: () => undefined, remove: () => undefined };
  private queue: Command[] = [];

  constructor(readonly excel: FakeExcel) {
    this.workbook = new WorkbookProxy(this);
  }

  enqueue(command: Command): void {
    this.queue.push(command);
  }

  get pending(): number {
    return this.queue.length;
  }

  sync(): Promise<void> {
    const commands = this.queue;
    this.queue = [];
    return this.excel.runBatch(commands);
  }
}
