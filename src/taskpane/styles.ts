/** The pane's CSS, injected by the script so the task pane page and the preview share it without a CSS loader. */
const CSS = `
#campfire-pane { font: 13px/1.4 "Segoe UI", system-ui, sans-serif; color: #1b1b1b; padding: 12px; box-sizing: border-box; }
#campfire-pane * { box-sizing: border-box; }
#campfire-pane header h1 { font-size: 18px; margin: 0 0 8px; color: #1F6F43; }
#campfire-pane h2 { font-size: 14px; margin: 0; }
#campfire-pane section { border-top: 1px solid #e1e1e1; padding: 10px 0; }
#campfire-pane .section-head { display: flex; justify-content: space-between; align-items: center; margin-bottom: 6px; }
#campfire-pane label { display: block; font-weight: 600; margin: 8px 0 2px; }
#campfire-pane input[type=text], #campfire-pane input[type=url], #campfire-pane input[type=password] { width: 100%; padding: 5px 6px; border: 1px solid #8a8a8a; border-radius: 2px; font: inherit; }
#campfire-pane .inline { display: flex; gap: 6px; }
#campfire-pane .inline input { flex: 1; }
#campfire-pane button { font: inherit; padding: 5px 10px; border-radius: 2px; border: 1px solid #1F6F43; background: #1F6F43; color: #fff; cursor: pointer; }
#campfire-pane button.secondary { background: #fff; color: #1F6F43; }
#campfire-pane button.link { background: none; border: none; color: #0b5cad; padding: 2px 0; text-align: left; text-decoration: underline; }
#campfire-pane button:disabled { opacity: .5; cursor: default; }
#campfire-pane button:focus-visible, #campfire-pane input:focus-visible { outline: 2px solid #0b5cad; outline-offset: 1px; }
#campfire-pane .buttons { display: flex; gap: 6px; flex-wrap: wrap; margin-top: 8px; }
#campfire-pane .hint { color: #5c5c5c; font-size: 12px; margin: 2px 0; }
#campfire-pane .status-ok { color: #1F6F43; }
#campfire-pane .status-error { color: #9C0006; }
#campfire-pane .status-busy { color: #5c5c5c; }
#campfire-pane #notice { padding: 6px 8px; margin-bottom: 8px; border-radius: 2px; background: #f3f3f3; }
#campfire-pane #notice.status-error { background: #FFC7CE; }
#campfire-pane .tabs { display: flex; gap: 4px; margin-bottom: 4px; }
#campfire-pane .tabs button { background: #fff; color: #1F6F43; }
#campfire-pane .tabs button[aria-selected=true] { background: #1F6F43; color: #fff; }
#campfire-pane ul.issues { list-style: none; padding-left: 0; margin: 6px 0; max-height: 220px; overflow: auto; }
#campfire-pane ul.issues li { margin-bottom: 4px; }
#campfire-pane table { border-collapse: collapse; width: 100%; margin: 6px 0; font-size: 12px; }
#campfire-pane caption { text-align: left; font-weight: 600; padding: 2px 0; }
#campfire-pane th, #campfire-pane td { border-bottom: 1px solid #e6e6e6; padding: 3px 4px; text-align: left; vertical-align: top; }
#campfire-pane td.num { text-align: right; white-space: nowrap; }
#campfire-pane ul#bundles { list-style: none; padding: 0; margin: 6px 0; }
#campfire-pane li.bundle { border: 1px solid #FFC7CE; border-left: 4px solid #9C0006; padding: 6px 8px; margin-bottom: 6px; }
#campfire-pane li.bundle p { margin: 0 0 4px; }
#campfire-pane .bundle-label { font-weight: 600; }
#campfire-pane .difference { color: #9C0006; }
#campfire-pane .old { color: #7a7a7a; text-decoration: line-through; }
#campfire-pane .new { font-weight: 600; }
#campfire-pane fieldset { border: 1px solid #F4B183; margin: 6px 0; }
#campfire-pane .check-row { display: flex; gap: 6px; align-items: flex-start; }
#campfire-pane .check-row label { font-weight: normal; margin: 0; }
#campfire-pane progress { width: 100%; }
#campfire-pane tr.outcome-failed td, #campfire-pane tr.outcome-conflict-skipped td { color: #9C0006; }
`;

export function installStyles(doc: Document = document): void {
  if (doc.getElementById("campfire-pane-styles")) return;
  const style = doc.createElement("style");
  style.id = "campfire-pane-styles";
  style.textContent = CSS;
  doc.head.appendChild(style);
}
