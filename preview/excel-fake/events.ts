/**
 * `worksheet.onChanged` as the add-in registers for it: handlers are added and removed at sync, like every other
 * command. The fake itself fires the events (fake-excel.ts) after the sync that wrote, and after a person's edit.
 */
import type { SheetModel } from "./model";
import { COMMAND_OVERHEAD_BYTES } from "./proxy";
import type { FakeRequestContext } from "./request-context";

export interface ChangedEventArgs {
  type: "WorksheetChanged";
  changeType: "RangeEdited" | "RowInserted";
  source: "Local";
  triggerSource: "ThisLocalAddin" | "Unknown";
  worksheetId: string;
  address: string;
  details: undefined;
}

export class EventHandlerResult {
  constructor(
    readonly context: FakeRequestContext,
    private readonly onRemove: () => void,
  ) {}

  remove(): void {
    this.context.enqueue({ bytes: COMMAND_OVERHEAD_BYTES, run: () => this.onRemove() });
  }
}

export class WorksheetEvents {
  constructor(
    private readonly context: FakeRequestContext,
    private readonly sheet: () => SheetModel,
  ) {}

  add(handler: (args: ChangedEventArgs) => unknown): EventHandlerResult {
    let registeredOn: SheetModel | null = null;
    this.context.enqueue({
      bytes: COMMAND_OVERHEAD_BYTES,
      run: () => {
        registeredOn = this.sheet();
        registeredOn.onChanged.add(handler as (args: unknown) => unknown);
      },
    });
    return new EventHandlerResult(this.context, () => registeredOn?.onChanged.delete(handler as (args: unknown) => unknown));
  }
}
