/**
 * Pull: which contracts, a progress bar, what arrived — and a question first when the pull would lose edits. Once
 * the table is pulled: when ("Pulled 10:42 · refreshed 11:05") and Refresh, which updates it in place.
 */
import { UnpushedEditsError, type TableKind, type TableStamps } from "../../app/workbench-interface";
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
  /** Refreshes the table in place; resolves to what changed, or undefined when another operation was running. */
  refresh(progress: (done: number, total: number, label: string) => void): Promise<string | undefined>;
}

/** "10:42" in the pane's time zone. */
export function clockTime(iso: string, zone?: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return at.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", hour12: false, ...(zone ? { timeZone: zone } : {}) });
}

/** "Pulled 10:42 · refreshed 11:05", or "Pulled 10:42"; a day other than today is named ("Pulled 3 Dec 10:42"). */
export function stampText(stamps: TableStamps, now: Date = new Date(), zone?: string): string {
  const when = (iso: string) => {
    const at = new Date(iso);
    const day = (d: Date) =>
      d.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", ...(zone ? { timeZone: zone } : {}) });
    const date =
      !Number.isNaN(at.getTime()) && day(at) !== day(now)
        ? `${at.toLocaleDateString("en-GB", { day: "numeric", month: "short", ...(zone ? { timeZone: zone } : {}) })} `
        : "";
    return `${date}${clockTime(iso, zone)}`;
  };
  return `Pulled ${when(stamps.pulledAt)}${stamps.refreshedAt ? ` · refreshed ${when(stamps.refreshedAt)}` : ""}`;
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
  private readonly stamps: HTMLElement;
  private readonly stampText: HTMLElement;
  private readonly refreshButton: HTMLButtonElement;

  constructor(private readonly actions: PullActions) {
    this.ids = h("input", {
      id: "contract-ids",
      type: "text",
      placeholder: "e.g. 3, 5 — empty for all",
      autocomplete: "off",
      "aria-describedby": "contract-ids-hint",
    });
    this.button = h("button", { id: "pull", type: "submit" }, "Pull");
    this.result = h("p", { id: "pull-result", role: "status" });
    this.confirmBox = h("div", { id: "pull-confirm", role: "alertdialog", "aria-labelledby": "pull-confirm-text", hidden: true });
    const form = h(
      "form",
      { id: "pull-form", onsubmit: (e: Event) => (e.preventDefault(), void this.submit()) },
      h("label", { for: "contract-ids" }, "Contract IDs"),
      h("div", { className: "inline" }, this.ids, this.button),
      h("p", { id: "contract-ids-hint", className: "hint" }, "Separate IDs with commas. Pulling some contracts replaces only their rows."),
    );
    this.stampText = h("span", { id: "table-stamps" });
    this.refreshButton = h(
      "button",
      {
        id: "refresh-table",
        type: "button",
        className: "secondary",
        "aria-describedby": "table-stamps refresh-hint",
        onclick: () => void this.refresh(),
      },
      "Refresh",
    );
    this.stamps = h(
      "div",
      { id: "table-refresh", hidden: true },
      h("div", { className: "inline stamps" }, this.stampText, this.refreshButton),
      h(
        "p",
        { id: "refresh-hint", className: "hint" },
        "Refresh brings Campfire's current values into rows you did not edit; your edits stay.",
      ),
    );
    this.element = h(
      "section",
      { id: "pull-section", "aria-labelledby": "pull-title" },
      h("h2", { id: "pull-title" }, "Pull"),
      form,
      this.stamps,
      this.confirmBox,
      this.progress.element,
      this.result,
    );
  }

  /** When the table was pulled and refreshed; null hides Refresh (nothing pulled yet). */
  setStamps(stamps: TableStamps | null): void {
    this.stamps.hidden = stamps === null;
    this.stampText.textContent = stamps ? stampText(stamps) : "";
  }

  setKind(kind: TableKind): void {
    this.button.textContent = `Pull ${TITLES[kind]}`;
    this.refreshButton.textContent = `Refresh ${TITLES[kind]}`;
    // A question about the other table's edits no longer applies.
    this.closeConfirm();
  }

  setBusy(busy: boolean): void {
    this.button.disabled = busy;
    this.refreshButton.disabled = busy;
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

  private async refresh(): Promise<void> {
    this.closeConfirm();
    this.show("Refreshing…", "busy");
    try {
      const message = await this.actions.refresh((done, total, label) => this.progress.update(done, total, label));
      if (message === undefined)
        this.show("Not refreshed: another Campfire operation is still running. Refresh again when it has finished.", "busy");
      else this.show(message, "ok");
    } catch (error) {
      this.show(`Refresh failed: ${error instanceof Error ? error.message : String(error)}`, "error");
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
