// Lint for `npm run lint` (office-addin-lint picks this file up instead of its defaults). Formatting is
// prettier's job (`npm run lint:fix`), not a lint error; the Office rules apply where Office.js is used.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import officeAddins from "eslint-plugin-office-addins";

/**
 * The layers (README § Architecture): what each folder under src/ must not import. Dependencies point inward:
 * model ← domain ← app ← shells; api/ is HTTP only; excel/ is the only code that touches Excel; the shells
 * (taskpane/, functions/) meet only in src/composition-root.ts. Type-only imports count too.
 */
const ALL = ["model", "domain", "api", "app", "excel", "taskpane", "functions", "sandbox", "host"];
/**
 * Nothing under src/ imports the top-level preview/ (the Excel fake and the preview page): it is built apart from
 * production (`webpack --env preview`) and must never reach dist/. Part of every src/ config below, because a later
 * config's no-restricted-imports replaces an earlier one's instead of adding to it.
 */
const NO_PREVIEW = {
  regex: "^(\\.\\./)+preview(/|$)",
  message: "src/ must not import preview/: the Excel fake and the preview page are built apart from production, never into dist/.",
};
const layerRule = (folder, forbidden, why, { node = true, packages = [], root = false } = {}) => ({
  files: [`src/${folder}/**/*.ts`],
  rules: {
    "no-restricted-imports": [
      "error",
      {
        patterns: [
          {
            regex: `^(\\.\\./)+(${forbidden.join("|")})(/|$)`,
            message: `${folder}/ must not import ${forbidden.join("/, ")}/: ${why}`,
          },
          NO_PREVIEW,
          ...(root
            ? []
            : [
                {
                  regex: "^(\\.\\./)+composition-root$",
                  message: `${folder}/ must not import the composition root: it wires the layers, which do not reach back into it.`,
                },
              ]),
          ...(node ? [{ regex: "^node:", message: `${folder}/ runs in the browser too: no Node APIs.` }] : []),
          ...packages.map((name) => ({ regex: `^${name}$`, message: `${folder}/ must not use ${name}: ${why}` })),
        ],
      },
    ],
  },
});
const except = (...allowed) => ALL.filter((folder) => !allowed.includes(folder));

/**
 * preview/ (the Excel fake, the page, and their tests) may use the domain's pure helpers, never the adapter the fake
 * checks, the shells, the servers or the composition root; the fake's tests lean on nothing from test/ either. The
 * fake and the page run in the browser (no Node APIs); their tests run in jest.
 */
const PREVIEW_FORBIDDEN = ["excel", "taskpane", "functions", "sandbox", "host", "composition-root"];
const previewRule = (files, { node = false, tests = false } = {}) => ({
  files,
  rules: {
    "no-restricted-imports": [
      "error",
      {
        patterns: [
          {
            regex: `^(\\.\\./)+src/(${PREVIEW_FORBIDDEN.join("|")})(/|$)`,
            message: `preview/ must not import src/${PREVIEW_FORBIDDEN.join(", src/")}: the Excel fake checks the adapter, so it must not be built from it.`,
          },
          ...(tests
            ? [{ regex: "^(\\.\\./)+test/", message: "preview/test/ must not import test/: the fake's tests stand on their own." }]
            : []),
          ...(node ? [{ regex: "^node:", message: "preview/ runs in the browser too: no Node APIs." }] : []),
        ],
      },
    ],
  },
});

const LAYERS = [
  layerRule("model", except("model"), "it is the API contract (zod schemas) and depends on nothing.", { packages: ["ky"] }),
  layerRule("domain", except("domain", "model"), "it holds pure rules (no Office, no network) over model/ only.", {
    packages: ["ky"],
  }),
  layerRule("api", except("api", "model"), "it is the HTTP client and knows only model/.", {}),
  layerRule("app", ["excel", "taskpane", "functions", "sandbox", "host"], "use-cases reach Excel and the UI only through ports.", {
    packages: ["ky"],
  }),
  layerRule(
    "excel",
    ["api", "taskpane", "functions", "sandbox", "host"],
    "the Excel adapter serves the app's ports and knows no network or UI.",
  ),
  layerRule(
    "taskpane",
    ["excel", "functions", "sandbox", "host"],
    "a shell gets Excel and the other shell's parts from the composition root.",
    {
      root: true,
    },
  ),
  layerRule(
    "functions",
    ["excel", "taskpane", "sandbox", "host"],
    "a shell gets Excel and the other shell's parts from the composition root.",
    {
      root: true,
    },
  ),
  layerRule("sandbox", ["app", "excel", "taskpane", "functions", "host"], "the sandbox stands in for Campfire, not for the add-in.", {
    node: false,
  }),
  layerRule("host", ["app", "excel", "taskpane", "functions"], "the host serves the built add-in; it does not run it.", {
    node: false,
  }),
];

export default tseslint.config(
  { ignores: ["dist/**", "dist-preview/**", "node_modules/**", "test-output/**"] },
  // Files directly under src/ (the composition root) and any folder without a layer of its own.
  { files: ["src/**/*.ts"], rules: { "no-restricted-imports": ["error", { patterns: [NO_PREVIEW] }] } },
  ...LAYERS,
  previewRule(["preview/excel-fake/**/*.ts", "preview/page/**/*.ts"], { node: true }),
  previewRule(["preview/test/**/*.ts"], { tests: true }),
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // TypeScript checks names itself; the DOM and Office globals would all be false reports.
      "no-undef": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["src/excel/**/*.ts", "src/taskpane/**/*.ts", "src/functions/**/*.ts"],
    plugins: { "office-addins": officeAddins },
    rules: {
      "office-addins/call-sync-after-load": "error",
      "office-addins/load-object-before-read": "error",
      "office-addins/no-context-sync-in-loop": "warn",
      "office-addins/no-empty-load": "error",
      "office-addins/no-office-initialize": "error",
      "office-addins/test-for-null-using-isNullObject": "error",
    },
  },
);
