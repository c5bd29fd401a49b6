/**
 * The browser preview (dist-preview/preview.html, built by `webpack --env preview`): Excel's place is taken by the
 * Excel fake, drawn as a grid beside the real task pane, with buttons standing in for the ribbon. This bundle runs
 * before the functions and task pane bundles on the page, so they find `Excel` and `Office` ready.
 */
import { installExcelFake } from "../excel-fake/fake-excel";
import { setExternalFunctions } from "../excel-fake/formulas";
import { PreviewGrid } from "./grid";
import { installOfficeStub } from "./office-stub";
import { matrixParameters, PreviewFunctions } from "./preview-functions";

const RIBBON: { id: string; label: string }[] = [
  { id: "pushAllocations", label: "Push allocations" },
  { id: "pushPrepaidCommits", label: "Push prepaid commits" },
  { id: "refreshAll", label: "Refresh" },
];

const globalObj = globalThis as unknown as Record<string, unknown>;
const fake = installExcelFake(globalObj);
const office = installOfficeStub(globalObj);
// The functions bundle loads after this one and registers the real CAMPFIRE.* implementations here.
const functions = new PreviewFunctions(() => fake.touch());
globalObj.CustomFunctions = functions.runtimeGlobal();
setExternalFunctions((name, args) => functions.evaluate(name, args));
fake.onCalculate = () => functions.recalculate();
void fetch("functions.json")
  .then((response) => response.json())
  .then((metadata: unknown) => functions.setMatrixParameters(matrixParameters(metadata)))
  .catch(() => functions.setMatrixParameters(new Map()));
globalObj.__campfirePreview = { fake, office, functions };

function ribbon(): HTMLElement {
  const bar = document.createElement("div");
  bar.id = "ribbon";
  bar.setAttribute("role", "toolbar");
  bar.setAttribute("aria-label", "Campfire ribbon (simulated)");
  const label = document.createElement("span");
  label.className = "ribbon-label";
  label.textContent = "Campfire";
  bar.append(label);
  const status = document.createElement("span");
  status.id = "ribbon-status";
  status.setAttribute("role", "status");
  for (const { id, label: text } of RIBBON) {
    const button = document.createElement("button");
    button.type = "button";
    button.id = `ribbon-${id}`;
    button.textContent = text;
    button.addEventListener("click", () => {
      const handler = office.actions.get(id);
      if (!handler) {
        status.textContent = `${text}: not registered by the add-in.`;
        return;
      }
      button.disabled = true;
      status.textContent = `${text}: running…`;
      void Promise.resolve(
        handler({
          source: { id },
          completed: () => {
            button.disabled = false;
            status.textContent = `${text}: done.`;
          },
        }),
      );
    });
    bar.append(button);
  }
  bar.append(status);
  return bar;
}

function mount(): void {
  const host = document.getElementById("excel-side");
  if (!host) return;
  const grid = new PreviewGrid(fake, functions);
  host.replaceChildren(ribbon(), grid.element);
  const pane = document.getElementById("campfire-pane");
  office.onShowTaskpane = () => {
    pane?.classList.add("flash");
    setTimeout(() => pane?.classList.remove("flash"), 1200);
  };
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
else mount();
