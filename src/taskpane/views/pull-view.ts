/** Pull: which contracts, a progress bar, what arrived — and a question first when the pull would lose edits. */
import { UnpushedEditsError, type TableKind } from "../../app/workbench-api";
import { parseContractIds } from "../contract-ids";
import { fill, h, progressBar } from "./dom";

export interface PullActions {
  /**
   * `discardEdits`: the user confirmed that edits not pushed may be lost. Resolves to what arrived, or to
   * undefined when the pull did not start because another operation was running.
   */
  pull(
    ids: readonly number[] | "all",
    progress: (done: number, total: number, label: string) => void,
    discardEdits: boolean,
  ): Promise<string | undefined>;
}

const TITLES: Record<TableKind, string> = { allocations: "allocations", commits: "prepaid commits" };

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * "You have 3 unpushed edits in 2 records. Pull anyway and lose them?" — or, when the table cannot be compared
 * with what was pulled, why no one can tell which cells were edited.
 */
export const PULL_BUSY_NOTE = "Not pulled: another Campfire operation is still running. Pull again when it has finished.";

export function discardQuestion(cells: number, records: number, reason: string | null = null): string {
  if (reason !== null) return `Cannot tell which cells you edited (${reason.replace(/[.\s]+$/, "")}). Pull anyway and lose any edits?`;
  return `You have ${count(cells, "unpushed edit", "unpushed edits")} in ${count(records, "record", "records")}. Pull anyway and lose ${cells === 1 ? "it" : "them"}?`;
}

export class PullView {
  readonly element: HTMLElement;
  private readonly ids: HTMLInputElement;
  private readonly button: HTMLButtonElement;
  private readonly result: HTMLElement;
  private readonly confirmBox: HTMLElement;
  private readonly progress = progressBar("pull-progress", "Pull progress");

  constructor(private readonly actions: PullActions) {
    this.ids = h("input", { id: "contract-ids", type: "text", placeholder: "e.g. 3, 5 — empty for all", autocomplete: "off", "aria-describedby": "contract-ids-hint" });
    this.button = h("button", { id: "pull", type: "submit" }, "Pull");
    this.result = h("p", { id: "pull-result", role: "status" });
    this.confirmBox = h("div", { id: "pull-confirm", role: "alertdialog", "aria-labelledby": "pull-confirm-text", hidden: true });
    const form = h(
      "form",
      { id: "pull-form", onsubmit: (e: Event) => (e.preventDefault(), void this.submit()) },
      h("label", { for: "contract-ids" }, "Contract IDs"),
      h("div", { className: "inline" }, this.ids, this.button),
      h("p", { id: "contract-ids-hint", className: "hint" }, "Separate IDs with commas. Pulling replaces the table on its sheet."),
    );
    this.element = h(
      "section",
      { id: "pull-section", "aria-labelledby": "pull-title" },
      h("h2", { id: "pull-title" }, "Pull"),
      form,
      this.confirmBox,
      this.progress.element,
      this.result,
    );
  }

  setKind(kind: TableKind): void {
    this.button.textContent = `Pull ${TITLES[kind]}`;
    // A question about the other table's edits no longer applies.
    this.closeConfirm();
  }

  setBusy(busy: boolean): void {
    this.button.disabled = busy;
    this.confirmBox.querySelectorAll("button").forEach((b) => ((b as HTMLButtonElement).disabled = busy));
  }

  /** Forgets what the last pull showed (after a sign-out it belongs to a session that is gone). */
  reset(): void {
    this.closeConfirm();
    this.progress.element.hidden = true;
    this.result.textContent = "";
    this.result.className = "";
  }

  private async submit(): Promise<void> {
    const parsed = parseContractIds(this.ids.value);
    if (!parsed.ok) {
      this.show(parsed.message, "error");
      return;
    }
    this.closeConfirm();
    await this.pull(parsed.ids, false);
  }

  private async pull(ids: readonly number[] | "all", discardEdits: boolean): Promise<void> {
    this.show("Pulling…", "busy");
    try {
      const message = await this.actions.pull(ids, (done, total, label) => this.progress.update(done, total, label), discardEdits);
      // Refused, not failed: nothing was tried, so the note is neutral.
      if (message === undefined) this.show(PULL_BUSY_NOTE, "busy");
      else this.show(message, "ok");
    } catch (error) {
      if (error instanceof UnpushedEditsError) this.askToDiscard(ids, error);
      else this.show(`Pull failed: ${error instanceof Error ? error.message : String(error)}`, "error");
    } finally {
      this.progress.element.hidden = true;
    }
  }

  /** Nothing was pulled yet: the user chooses between losing the edits and keeping them. */
  private askToDiscard(ids: readonly number[] | "all", error: UnpushedEditsError): void {
    this.show("", "busy");
    const cancel = h("button", { id: "pull-cancel", type: "button", className: "secondary" }, "Cancel");
    const anyway = h("button", { id: "pull-anyway", type: "button" }, "Pull anyway");
    cancel.addEventListener("click", () => {
      this.closeConfirm();
      this.show("Not pulled: your edits are kept.", "ok");
    });
    anyway.addEventListener("click", () => {
      this.closeConfirm();
      void this.pull(ids, true);
    });
    fill(
      this.confirmBox,
      h("p", { id: "pull-confirm-text", className: "status-error" }, discardQuestion(error.cells, error.records, error.reason)),
      h("div", { className: "buttons" }, anyway, cancel),
    );
    this.confirmBox.hidden = false;
    // The safe choice has the focus: Enter does not throw edits away.
    cancel.focus();
  }

  private closeConfirm(): void {
    fill(this.confirmBox);
    this.confirmBox.hidden = true;
  }

  private show(text: string, tone: "ok" | "error" | "busy"): void {
    this.result.textContent = text;
    this.result.className = `status-${tone}`;
  }
}
