/**
 * The pane's CSS, injected by the script so the task pane page and the preview share it without a CSS loader.
 *
 * Office's own look, Fluent 2, from its published design tokens (the web light theme of @fluentui/tokens) as
 * CSS custom properties, on native elements: the Fluent web components package needs Node 22 to install,
 * and a task pane needs buttons, inputs, a select, tabs and cards, which native elements do well.
 * Every text colour passes WCAG AA on its background; focus is Fluent's 2 px black stroke with a white inner ring.
 * Nothing is wider than the pane: long names wrap (overflow-wrap: anywhere), tables use a fixed layout.
 */
const TOKENS = `
  --colorBrandBackground: #0f6cbd;
  --colorBrandBackgroundHover: #115ea3;
  --colorBrandBackgroundPressed: #0c3b5e;
  --colorBrandBackground2: #ebf3fc;
  --colorBrandForeground1: #0f6cbd;
  --colorBrandForegroundLink: #115ea3;
  --colorBrandForegroundLinkHover: #0f548c;
  --colorBrandStroke1: #0f6cbd;
  --colorNeutralForeground1: #242424;
  --colorNeutralForeground2: #424242;
  --colorNeutralForeground3: #616161;
  --colorNeutralForegroundOnBrand: #ffffff;
  --colorNeutralForegroundDisabled: #bdbdbd;
  --colorNeutralBackground1: #ffffff;
  --colorNeutralBackground1Hover: #f5f5f5;
  --colorNeutralBackground1Pressed: #e0e0e0;
  --colorNeutralBackground2: #fafafa;
  --colorNeutralBackground3: #f5f5f5;
  --colorNeutralBackgroundDisabled: #f0f0f0;
  --colorNeutralStroke1: #d1d1d1;
  --colorNeutralStroke1Hover: #c7c7c7;
  --colorNeutralStroke2: #e0e0e0;
  --colorNeutralStrokeAccessible: #616161;
  --colorNeutralStrokeDisabled: #e0e0e0;
  --colorStrokeFocus1: #ffffff;
  --colorStrokeFocus2: #000000;
  --colorStatusDangerBackground1: #fdf3f4;
  --colorStatusDangerBorder1: #f1bbbc;
  --colorStatusDangerForeground1: #b10e1c;
  --colorStatusSuccessBackground1: #f1faf1;
  --colorStatusSuccessBorder1: #9fd89f;
  --colorStatusSuccessForeground1: #0e700e;
  --colorStatusWarningBackground1: #fff9f5;
  --colorStatusWarningBorder1: #fdcfb4;
  --colorStatusWarningForeground3: #8a3707;
  --fontFamilyBase: 'Segoe UI', 'Segoe UI Web (West European)', -apple-system, BlinkMacSystemFont, Roboto, 'Helvetica Neue', sans-serif;
  --fontFamilyMonospace: Consolas, 'Courier New', Courier, monospace;
  --fontSizeBase200: 12px;
  --fontSizeBase300: 14px;
  --fontSizeBase400: 16px;
  --fontSizeBase500: 20px;
  --lineHeightBase200: 16px;
  --lineHeightBase300: 20px;
  --lineHeightBase400: 22px;
  --lineHeightBase500: 28px;
  --fontWeightRegular: 400;
  --fontWeightSemibold: 600;
  --borderRadiusSmall: 2px;
  --borderRadiusMedium: 4px;
  --borderRadiusLarge: 8px;
  --strokeWidthThin: 1px;
  --strokeWidthThick: 2px;
  --spacingHorizontalXS: 4px;
  --spacingHorizontalSNudge: 6px;
  --spacingHorizontalS: 8px;
  --spacingHorizontalM: 12px;
  --spacingHorizontalL: 16px;
  --spacingVerticalXS: 4px;
  --spacingVerticalSNudge: 6px;
  --spacingVerticalS: 8px;
  --spacingVerticalM: 12px;
  --spacingVerticalL: 16px;
  --shadow4: 0 0 2px rgba(0,0,0,0.12), 0 2px 4px rgba(0,0,0,0.14);
`;

const P = "#campfire-pane";

const CSS = `
${P} { ${TOKENS}
  font-family: var(--fontFamilyBase); font-size: var(--fontSizeBase300); line-height: var(--lineHeightBase300);
  color: var(--colorNeutralForeground1); background: var(--colorNeutralBackground1);
  padding: var(--spacingVerticalM) var(--spacingHorizontalM); box-sizing: border-box; overflow-x: hidden; overflow-wrap: anywhere; }
${P} * { box-sizing: border-box; }
${P} p { margin: 0 0 var(--spacingVerticalXS); }
${P} header h1 { font-size: var(--fontSizeBase500); line-height: var(--lineHeightBase500); font-weight: var(--fontWeightSemibold); margin: 0 0 var(--spacingVerticalS); }
${P} h2 { font-size: var(--fontSizeBase400); line-height: var(--lineHeightBase400); font-weight: var(--fontWeightSemibold); margin: 0; }
${P} h3 { font-size: var(--fontSizeBase300); line-height: var(--lineHeightBase300); font-weight: var(--fontWeightSemibold); margin: 0 0 var(--spacingVerticalXS); }
${P} section { border-top: var(--strokeWidthThin) solid var(--colorNeutralStroke2); padding: var(--spacingVerticalM) 0; }
${P} .section-head { display: flex; justify-content: space-between; align-items: center; gap: var(--spacingHorizontalS); margin-bottom: var(--spacingVerticalS); flex-wrap: wrap; }
${P} label { display: block; font-weight: var(--fontWeightSemibold); margin: var(--spacingVerticalS) 0 var(--spacingVerticalXS); }
${P} code { font-family: var(--fontFamilyMonospace); font-size: var(--fontSizeBase200); }

/* Inputs and selects: Fluent's outline field, with the accessible bottom stroke. */
${P} input[type=text], ${P} input[type=url], ${P} input[type=password], ${P} select {
  width: 100%; min-width: 0; min-height: 32px; padding: 5px var(--spacingHorizontalS); font: inherit; color: var(--colorNeutralForeground1);
  background: var(--colorNeutralBackground1); border: var(--strokeWidthThin) solid var(--colorNeutralStroke1);
  border-bottom-color: var(--colorNeutralStrokeAccessible); border-radius: var(--borderRadiusMedium); }
${P} input:hover, ${P} select:hover { border-color: var(--colorNeutralStroke1Hover); border-bottom-color: var(--colorNeutralForeground2); }
${P} input:focus, ${P} select:focus { border-bottom: var(--strokeWidthThick) solid var(--colorBrandStroke1); outline: none; }
${P} input::placeholder { color: var(--colorNeutralForeground3); }
${P} input[type=checkbox] { width: 16px; height: 16px; margin: 2px 0 0; accent-color: var(--colorBrandBackground); flex: none; }
${P} .inline { display: flex; gap: var(--spacingHorizontalS); }
${P} .inline input { flex: 1; }
${P} .stamps { flex-wrap: wrap; align-items: center; justify-content: space-between; margin-top: var(--spacingVerticalM); }
${P} .stamps span { color: var(--colorNeutralForeground2); font-size: var(--fontSizeBase200); overflow-wrap: anywhere; }

/* Buttons: primary (brand), secondary (outline), subtle (link-like). */
${P} button { font: inherit; font-weight: var(--fontWeightSemibold); min-height: 32px; padding: 5px var(--spacingHorizontalM);
  border-radius: var(--borderRadiusMedium); border: var(--strokeWidthThin) solid transparent; cursor: pointer;
  background: var(--colorBrandBackground); color: var(--colorNeutralForegroundOnBrand); max-width: 100%; }
${P} button:hover { background: var(--colorBrandBackgroundHover); }
${P} button:active { background: var(--colorBrandBackgroundPressed); }
${P} button.secondary, ${P} .tabs button, ${P} .problem-nav button { background: var(--colorNeutralBackground1); color: var(--colorNeutralForeground1); border-color: var(--colorNeutralStroke1); }
${P} button.secondary:hover, ${P} .problem-nav button:hover { background: var(--colorNeutralBackground1Hover); border-color: var(--colorNeutralStroke1Hover); }
${P} button.secondary:active { background: var(--colorNeutralBackground1Pressed); }
${P} button.link { background: none; border: none; color: var(--colorBrandForegroundLink); padding: 2px 0; min-height: 0; text-align: left; font-weight: var(--fontWeightRegular); }
${P} button.link:hover { color: var(--colorBrandForegroundLinkHover); text-decoration: underline; }
${P} button:disabled, ${P} button:disabled:hover { background: var(--colorNeutralBackgroundDisabled); color: var(--colorNeutralForegroundDisabled); border-color: var(--colorNeutralStrokeDisabled); cursor: not-allowed; }
${P} button:focus-visible, ${P} input:focus-visible, ${P} select:focus-visible, ${P} summary:focus-visible, ${P} a:focus-visible {
  outline: var(--strokeWidthThick) solid var(--colorStrokeFocus2); outline-offset: 1px; box-shadow: 0 0 0 1px var(--colorStrokeFocus1) inset; }
${P} .buttons { display: flex; gap: var(--spacingHorizontalS); flex-wrap: wrap; margin-top: var(--spacingVerticalS); }

/* Text tones. */
${P} .hint { color: var(--colorNeutralForeground3); font-size: var(--fontSizeBase200); line-height: var(--lineHeightBase200); margin: var(--spacingVerticalXS) 0; }
${P} .status-ok { color: var(--colorStatusSuccessForeground1); }
${P} .status-error { color: var(--colorStatusDangerForeground1); }
${P} .status-busy { color: var(--colorNeutralForeground2); }
${P} #notice { padding: var(--spacingVerticalS) var(--spacingHorizontalM); margin-bottom: var(--spacingVerticalS); border-radius: var(--borderRadiusMedium);
  background: var(--colorNeutralBackground3); border: var(--strokeWidthThin) solid var(--colorNeutralStroke2); }
${P} #notice.status-ok { background: var(--colorStatusSuccessBackground1); border-color: var(--colorStatusSuccessBorder1); }
${P} #notice.status-error { background: var(--colorStatusDangerBackground1); border-color: var(--colorStatusDangerBorder1); }

/* Tabs: Fluent's TabList, the selected tab underlined in the brand colour. */
${P} .tabs { display: flex; gap: var(--spacingHorizontalXS); margin-bottom: var(--spacingVerticalXS); border-bottom: var(--strokeWidthThin) solid var(--colorNeutralStroke2); flex-wrap: wrap; }
${P} .tabs button { background: transparent; border: none; border-radius: var(--borderRadiusMedium) var(--borderRadiusMedium) 0 0; color: var(--colorNeutralForeground2);
  font-weight: var(--fontWeightRegular); padding: 6px var(--spacingHorizontalM) 8px; position: relative; }
${P} .tabs button:hover { background: var(--colorNeutralBackground1Hover); color: var(--colorNeutralForeground1); }
${P} .tabs button[aria-selected=true] { color: var(--colorNeutralForeground1); font-weight: var(--fontWeightSemibold); }
${P} .tabs button[aria-selected=true]::after { content: ""; position: absolute; left: var(--spacingHorizontalM); right: var(--spacingHorizontalM); bottom: 0;
  height: 3px; border-radius: var(--borderRadiusMedium); background: var(--colorBrandStroke1); }

/* Connection: the token is the one field; the address sits under Advanced. */
${P} details.advanced { margin-top: var(--spacingVerticalS); }
${P} details.advanced > summary { cursor: pointer; color: var(--colorNeutralForeground2); font-size: var(--fontSizeBase200); }

/* Problems: one line each, grouped by record, details on expand. */
${P} .problem-nav { display: flex; align-items: center; gap: var(--spacingHorizontalS); margin: var(--spacingVerticalS) 0; }
${P} .problem-nav .problem-position { flex: 1; text-align: center; color: var(--colorNeutralForeground2); font-size: var(--fontSizeBase200); }
${P} .problem-nav button { min-height: 28px; padding: 3px var(--spacingHorizontalS); font-weight: var(--fontWeightRegular); }
${P} ul.issues, ${P} ul.issue-lines { list-style: none; padding: 0; margin: 0; }
${P} li.issue-group, ${P} li.bundle { border: var(--strokeWidthThin) solid var(--colorNeutralStroke2); border-left: 3px solid var(--colorStatusDangerForeground1);
  border-radius: var(--borderRadiusMedium); background: var(--colorNeutralBackground1); box-shadow: var(--shadow4);
  padding: var(--spacingVerticalS) var(--spacingHorizontalM); margin-bottom: var(--spacingVerticalS); }
${P} .issue-group h3 { font-size: var(--fontSizeBase200); line-height: var(--lineHeightBase200); color: var(--colorNeutralForeground2); }
${P} details.issue { border-top: var(--strokeWidthThin) solid var(--colorNeutralStroke2); padding: var(--spacingVerticalXS) 0; }
${P} .issue-lines > li:first-child details.issue { border-top: none; }
${P} details.issue > summary { cursor: pointer; color: var(--colorStatusDangerForeground1); }
${P} details.issue[data-current] > summary { font-weight: var(--fontWeightSemibold); }
${P} details.issue .issue-detail { color: var(--colorNeutralForeground2); font-size: var(--fontSizeBase200); line-height: var(--lineHeightBase200); margin: var(--spacingVerticalXS) 0 0 var(--spacingHorizontalL); }
${P} details.issue .issue-detail button { margin-top: var(--spacingVerticalXS); }

/* A bundle card: its sums, the line that takes the remainder, Balance. */
${P} .bundle-card { margin-top: var(--spacingVerticalS); padding-top: var(--spacingVerticalS); border-top: var(--strokeWidthThin) dashed var(--colorNeutralStroke1); }
${P} .bundle-card label { font-size: var(--fontSizeBase200); margin-top: var(--spacingVerticalXS); }
${P} .bundle-card .inline select { flex: 1; }
${P} .bundle-sums { font-size: var(--fontSizeBase200); color: var(--colorNeutralForeground2); }
${P} .bundle-label { font-weight: var(--fontWeightSemibold); }
${P} .difference { color: var(--colorStatusDangerForeground1); }
${P} #missing ul { margin: var(--spacingVerticalXS) 0; padding-left: var(--spacingHorizontalL); }

/* Tables (the push review and results): never wider than the pane. */
${P} table { border-collapse: collapse; width: 100%; table-layout: fixed; margin: var(--spacingVerticalS) 0; font-size: var(--fontSizeBase200); line-height: var(--lineHeightBase200); }
${P} caption { text-align: left; font-weight: var(--fontWeightSemibold); padding: 2px 0; }
${P} th, ${P} td { border-bottom: var(--strokeWidthThin) solid var(--colorNeutralStroke2); padding: var(--spacingVerticalXS); text-align: left; vertical-align: top; overflow-wrap: anywhere; }
${P} th { color: var(--colorNeutralForeground2); font-weight: var(--fontWeightSemibold); }
${P} td.num { text-align: right; }
${P} .old { color: var(--colorNeutralForeground3); text-decoration: line-through; }
${P} .new { font-weight: var(--fontWeightSemibold); }
${P} fieldset { border: var(--strokeWidthThin) solid var(--colorStatusWarningBorder1); background: var(--colorStatusWarningBackground1); border-radius: var(--borderRadiusMedium); margin: var(--spacingVerticalS) 0; padding: var(--spacingVerticalS) var(--spacingHorizontalM); min-width: 0; }
${P} legend { color: var(--colorStatusWarningForeground3); font-weight: var(--fontWeightSemibold); padding: 0 var(--spacingHorizontalXS); }
${P} .check-row { display: flex; gap: var(--spacingHorizontalS); align-items: flex-start; }
${P} .check-row label { font-weight: var(--fontWeightRegular); margin: 0; }
${P} progress { width: 100%; height: 4px; accent-color: var(--colorBrandBackground); }
${P} .progress-text { font-size: var(--fontSizeBase200); color: var(--colorNeutralForeground2); }
${P} tr.outcome-failed td, ${P} tr.outcome-conflict-skipped td { color: var(--colorStatusDangerForeground1); }
${P} #push-blocked, ${P} #push-note, ${P} #push-error, ${P} #check-error { background: var(--colorStatusDangerBackground1); border: var(--strokeWidthThin) solid var(--colorStatusDangerBorder1); border-radius: var(--borderRadiusMedium); padding: var(--spacingVerticalS) var(--spacingHorizontalM); }
${P} #connected-as { margin-bottom: var(--spacingVerticalS); }

/* The review: one card per record, each field as pulled → Campfire now → will send; overwrite on its card. */
${P} ul.review-cards { list-style: none; padding: 0; margin: var(--spacingVerticalS) 0; }
${P} li.review-card { border: var(--strokeWidthThin) solid var(--colorNeutralStroke2); border-left: 3px solid var(--colorBrandStroke1);
  border-radius: var(--borderRadiusMedium); background: var(--colorNeutralBackground1); box-shadow: var(--shadow4);
  padding: var(--spacingVerticalS) var(--spacingHorizontalM); margin-bottom: var(--spacingVerticalS); }
${P} li.review-card.action-conflict { border-left-color: var(--colorStatusWarningBorder1); }
${P} li.review-card.action-blocked, ${P} li.review-card.action-unreadable { border-left-color: var(--colorStatusDangerForeground1); }
${P} li.review-card.action-in-sync { border-left-color: var(--colorStatusSuccessForeground1); }
${P} ul.review-fields { list-style: none; padding: 0; margin: 0; }
${P} li.review-field { border-top: var(--strokeWidthThin) solid var(--colorNeutralStroke2); padding: var(--spacingVerticalXS) 0; display: flex; flex-direction: column; }
${P} li.review-field:first-child { border-top: none; }
${P} .field-name { font-size: var(--fontSizeBase200); color: var(--colorNeutralForeground2); }
${P} .field-values { font-weight: var(--fontWeightSemibold); }
${P} .field-note { font-size: var(--fontSizeBase200); color: var(--colorStatusWarningForeground3); }
${P} .review-conflict { background: var(--colorStatusWarningBackground1); border-radius: var(--borderRadiusMedium); padding: var(--spacingVerticalXS) var(--spacingHorizontalS); margin: var(--spacingVerticalXS) 0; }
${P} .review-conflicts { color: var(--colorStatusWarningForeground3); }
${P} #connection-status.status-error { background: var(--colorStatusDangerBackground1); border: var(--strokeWidthThin) solid var(--colorStatusDangerBorder1); border-radius: var(--borderRadiusMedium); padding: var(--spacingVerticalS) var(--spacingHorizontalM); margin-top: var(--spacingVerticalS); }
`;

export function installStyles(doc: Document = document): void {
  if (doc.getElementById("campfire-pane-styles")) return;
  const style = doc.createElement("style");
  style.id = "campfire-pane-styles";
  style.textContent = CSS;
  doc.head.appendChild(style);
}
