/**
 * Sign-in: a Campfire address and an API token (a password field; the token goes to the session and nowhere
 * else in the page), or one click for the local sandbox. The connection is checked at once.
 */
import type { Connection } from "../../app/ports";
import { h, fill, setButtonsBusy } from "./dom";

export interface ConnectionDefaults {
  /** Campfire through this add-in's host. */
  campfireUrl: string;
  sandboxUrl: string;
  sandboxToken: string;
}

export interface ConnectionActions {
  connect(connection: Connection): Promise<void>;
  signOut(): Promise<void>;
}

export class ConnectionView {
  readonly element: HTMLElement;
  private readonly form: HTMLFormElement;
  private readonly baseUrl: HTMLInputElement;
  private readonly token: HTMLInputElement;
  private readonly status: HTMLElement;
  private readonly signedIn: HTMLElement;
  private readonly buttons: HTMLButtonElement[];
  private busy = false;

  constructor(
    private readonly defaults: ConnectionDefaults,
    private readonly actions: ConnectionActions,
  ) {
    this.baseUrl = h("input", { id: "base-url", type: "url", value: defaults.campfireUrl, autocomplete: "off", spellcheck: "false" });
    // Chrome ignores "off" on password fields and offers to fill a saved password; "new-password" stops that.
    this.token = h("input", { id: "token", type: "password", autocomplete: "new-password", spellcheck: "false", "aria-describedby": "token-hint" });
    const connect = h("button", { id: "connect", type: "submit" }, "Connect");
    const sandbox = h("button", { id: "use-sandbox", type: "button", className: "secondary", onclick: () => void this.useSandbox() }, "Use the local sandbox");
    this.buttons = [connect, sandbox];
    this.form = h(
      "form",
      { id: "sign-in-form", onsubmit: (e: Event) => (e.preventDefault(), void this.submit()) },
      h("label", { for: "base-url" }, "Campfire address"),
      this.baseUrl,
      h("p", { className: "hint" }, "Default: Campfire (through this add-in's host)."),
      h("label", { for: "token" }, "API token"),
      this.token,
      h("p", { id: "token-hint", className: "hint" }, "From Campfire: Settings › API Keys. Kept in this add-in's storage, never in the workbook."),
      h("div", { className: "buttons" }, connect, sandbox),
    );
    this.status = h("p", { id: "connection-status", role: "status" });
    this.signedIn = h("div", { id: "signed-in", hidden: true });
    this.element = h("section", { id: "connection", "aria-labelledby": "connection-title" }, h("h2", { id: "connection-title" }, "Connection"), this.form, this.signedIn, this.status);
  }

  show(connection: { baseUrl: string; kind: Connection["kind"] } | null): void {
    this.form.hidden = connection !== null;
    this.signedIn.hidden = connection === null;
    if (connection) {
      const where = connection.kind === "sandbox" ? "the local sandbox" : "Campfire";
      const signOut = h("button", { id: "sign-out", type: "button", className: "secondary", onclick: () => void this.actions.signOut() }, "Sign out");
      if (this.busy) setButtonsBusy([signOut], true);
      fill(this.signedIn, h("p", { id: "connected-as" }, `Connected to ${where} at `, h("code", {}, connection.baseUrl)), signOut);
    }
  }

  /**
   * While an operation runs, signing out (or in) would change the client under it: a push would go on
   * sending with a token the user believes is gone.
   */
  setBusy(busy: boolean): void {
    this.busy = busy;
    setButtonsBusy(this.element.querySelectorAll("button"), busy);
  }

  setStatus(text: string, tone: "ok" | "error" | "busy"): void {
    this.status.textContent = text;
    this.status.className = `status-${tone}`;
  }

  private async useSandbox(): Promise<void> {
    this.baseUrl.value = this.defaults.sandboxUrl;
    this.token.value = this.defaults.sandboxToken;
    await this.submit();
  }

  private async submit(): Promise<void> {
    const baseUrl = this.baseUrl.value.trim().replace(/\/+$/, "");
    const token = this.token.value.trim();
    if (!baseUrl) return this.setStatus("Enter the Campfire address.", "error");
    if (!token) return this.setStatus("Enter your API token.", "error");
    const kind: Connection["kind"] = baseUrl === this.defaults.sandboxUrl ? "sandbox" : "campfire";
    this.buttons.forEach((b) => (b.disabled = true));
    this.setStatus("Checking the connection…", "busy");
    try {
      await this.actions.connect({ baseUrl, token, kind });
      this.token.value = "";
      this.setStatus(kind === "sandbox" ? "Connected to the local sandbox." : "Connected to Campfire.", "ok");
    } catch (error) {
      this.setStatus(`Could not connect: ${error instanceof Error ? error.message : String(error)}`, "error");
    } finally {
      this.buttons.forEach((b) => (b.disabled = false));
      if (this.busy) setButtonsBusy(this.buttons, true);
    }
  }
}
