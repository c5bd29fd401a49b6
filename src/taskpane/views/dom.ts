/**
 * A tiny element builder. Text always goes in through textContent, never innerHTML: record names and
 * server messages are data, and some of them look like markup or formulas.
 */
type Attrs = Record<string, string | number | boolean | null | undefined | ((event: Event) => void)>;
export type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === "function") el.addEventListener(name.replace(/^on/, "").toLowerCase(), value);
    else if (name === "className") el.className = String(value);
    else if (value === true) el.setAttribute(name, "");
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  }
}

/** Replaces everything inside `parent`. */
export function fill(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

const BUSY_MARK = "data-busy-disabled";

/**
 * Disables the buttons for the length of an operation, and afterwards re-enables only those this disabled:
 * a button disabled for its own reason (the confirm of a blocked plan) must stay disabled.
 */
export function setButtonsBusy(buttons: Iterable<HTMLButtonElement>, busy: boolean): void {
  for (const button of buttons) {
    if (busy) {
      if (button.disabled) continue;
      button.disabled = true;
      button.setAttribute(BUSY_MARK, "");
    } else if (button.hasAttribute(BUSY_MARK)) {
      button.removeAttribute(BUSY_MARK);
      button.disabled = false;
    }
  }
}

export function progressBar(id: string, label: string): { element: HTMLElement; update(done: number, total: number, text: string): void } {
  const bar = h("progress", { id, max: 1, value: 0, "aria-label": label });
  const text = h("span", { className: "progress-text", "aria-live": "polite" });
  const element = h("div", { className: "progress", hidden: true }, bar, text);
  return {
    element,
    update(done, total, message) {
      element.hidden = false;
      bar.max = Math.max(total, 1);
      bar.value = Math.min(done, bar.max);
      text.textContent = message;
    },
  };
}
