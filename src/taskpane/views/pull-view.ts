/** Pull: which contracts, a progress bar, and what arrived. */
import type { TableKind } from "../../app/workbench-api";
import { parseContractIds } from "../contract-ids";
import { h, progressBar } from "./dom";

export interface PullActions {
  pull(ids: readonly number[] | "all", progress: (done: number, total: number, label: string) => void): Promise<string | undefined>;
}

const TITLES: Record<TableKind, string> = { allocations: "allocations", commits: "prepaid commits" };

export class PullView {
  readonly element: HTMLElement;
  private readonly ids: HTMLInputElement;
  private readonly button: HTMLButtonElement;
  private readonly result: HTMLElement;
  private readonly progress = progressBar("pull-progress", "Pull progress");

  constructor(private readonly actions: PullActions) {
    this.ids = h("input", { id: "contract-ids", type: "text", placeholder: "e.g. 3, 5 — empty for all", autocomplete: "off", "aria-describedby": "contract-ids-hint" });
    this.button = h("button", { id: "pull", type: "submit" }, "Pull");
    this.result = h("p", { id: "pull-result", role: "status" });
    const form = h(
      "form",
      { id: "pull-form", onsubmit: (e: Event) => (e.preventDefault(), void this.submit()) },
      h("label", { for: "contract-ids" }, "Contract IDs"),
      h("div", { className: "inline" }, this.ids, this.button),
      h("p", { id: "contract-ids-hint", className: "hint" }, "Separate IDs with commas. Pulling replaces the table on its sheet."),
    );
    this.element = h("section", { id: "pull-section", "aria-labelledby": "pull-title" }, h("h2", { id: "pull-title" }, "Pull"), form, this.progress.element, this.result);
  }

  setKind(kind: TableKind): void {
    this.button.textContent = `Pull ${TITLES[kind]}`;
  }

  setBusy(busy: boolean): void {
    this.button.disabled = busy;
  }

  private async submit(): Promise<void> {
    const parsed = parseContractIds(this.ids.value);
    if (!parsed.ok) {
      this.show(parsed.message, "error");
      return;
    }
    this.show("Pulling…", "busy");
    try {
      const message = await this.actions.pull(parsed.ids, (done, total, label) => this.progress.update(done, total, label));
      this.show(message ?? "", message === undefined ? "error" : "ok");
    } catch (error) {
      this.show(`Pull failed: ${error instanceof Error ? error.message : String(error)}`, "error");
    } finally {
      this.progress.element.hidden = true;
    }
  }

  private show(text: string, tone: "ok" | "error" | "busy"): void {
    this.result.textContent = text;
    this.result.className = `status-${tone}`;
  }
}
