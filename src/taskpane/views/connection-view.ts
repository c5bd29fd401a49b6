/**
 * Sign-in: an API token (a password field; the token goes to the session and nowhere else in the page), or one
 * click for the local sandbox; the address sits under Advanced and defaults to the add-in host's relay. The
 * connection is checked at once, and a failure says what to do next.
 */
import type { Connection } from "../../app/ports";
import { connectErrorText } from "./connect-errors";
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
  private readonly advanced: HTMLDetailsElement;
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
    this.baseUrl = h("input", {
      id: "base-url",
      type: "url",
      value: defaults.campfireUrl,
      autocomplete: "off",
      spellcheck: "false",
      "aria-describedby": "base-url-hint",
    });
    // Chrome ignores "off" on password fields and offers to fill a saved password; "new-password" stops that.
    this.token = h("input", {
      id: "token",
      type: "password",
      autocomplete: "new-password",
      spellcheck: "false",
      "aria-describedby": "token-hint",
    });
    const connect = h("button", { id: "connect", type: "submit" }, "Connect");
    const sandbox = h(
      "button",
      { id: "use-sandbox", type: "button", className: "secondary", onclick: () => void this.useSandbox() },
      "Use the local sandbox",
    );
    this.buttons = [connect, sandbox];
    this.form = h(
      "form",
      { id: "sign-in-form", onsubmit: (e: Event) => (e.preventDefault(), void this.submit()) },
      h("label", { for: "token" }, "Campfire API token"),
      this.token,
      h(
        "p",
        { id: "token-hint", className: "hint" },
        "Create one in Campfire › Settings › API Keys. It is kept in this add-in's storage, never in the workbook.",
      ),
      h("div", { className: "buttons" }, connect, sandbox),
    );
    // Below the status, so a failure is read right under the buttons; Enter here connects as in the form.
    this.baseUrl.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        void this.submit();
      }
    });
    this.advanced = h(
      "details",
      { className: "advanced", id: "advanced" },
      h("summary", {}, "Advanced"),
      h("label", { for: "base-url" }, "Campfire address"),
      this.baseUrl,
      h(
        "p",
        { id: "base-url-hint", className: "hint" },
        "Where the add-in sends Campfire requests; the default is this add-in's own host, which relays them to Campfire.",
      ),
    );
    this.status = h("p", { id: "connection-status", role: "status" });
    this.signedIn = h("div", { id: "signed-in", hidden: true });
    this.element = h(
      "section",
      { id: "connection", "aria-labelledby": "connection-title" },
      h("h2", { id: "connection-title" }, "Connection"),
      this.form,
      this.signedIn,
      this.status,
      this.advanced,
    );
  }

  show(connection: { baseUrl: string; kind: Connection["kind"] } | null): void {
    this.form.hidden = connection !== null;
    this.advanced.hidden = connection !== null;
    this.signedIn.hidden = connection === null;
    if (connection) {
      const where = connection.kind === "sandbox" ? "the local sandbox" : "Campfire";
      const signOut = h(
        "button",
        { id: "sign-out", type: "button", className: "secondary", onclick: () => void this.actions.signOut() },
        "Sign out",
      );
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

  /** The sandbox's address and demo token go straight to the session: the fields keep what the user typed. */
  private async useSandbox(): Promise<void> {
    await this.submit({ baseUrl: this.defaults.sandboxUrl, token: this.defaults.sandboxToken });
  }

  private async submit(sandbox?: { baseUrl: string; token: string }): Promise<void> {
    const baseUrl = (sandbox?.baseUrl ?? this.baseUrl.value).trim().replace(/\/+$/, "");
    const token = (sandbox?.token ?? this.token.value).trim();
    if (!baseUrl) return this.setStatus("Enter the Campfire address under Advanced, or leave the add-in's own.", "error");
    if (!token) {
      this.token.focus();
      return this.setStatus("Paste your Campfire API token (Campfire › Settings › API Keys).", "error");
    }
    const kind: Connection["kind"] = baseUrl === this.defaults.sandboxUrl ? "sandbox" : "campfire";
    this.buttons.forEach((b) => (b.disabled = true));
    this.setStatus("Checking the connection…", "busy");
    try {
      await this.actions.connect({ baseUrl, token, kind });
      if (!sandbox) this.token.value = "";
      this.setStatus(kind === "sandbox" ? "Connected to the local sandbox." : "Connected to Campfire.", "ok");
    } catch (error) {
      this.setStatus(connectErrorText(error, { baseUrl, defaultUrl: this.defaults.campfireUrl, sandbox: kind === "sandbox" }), "error");
    } finally {
      this.buttons.forEach((b) => (b.disabled = false));
      if (this.busy) setButtonsBusy(this.buttons, true);
    }
  }
}
