/* eslint-disable no-undef */
/**
 * Builds the add-in into dist/ — only what production serves:
 *   taskpane.html  = the shared runtime page (task pane + custom functions + ribbon commands), office.js from the CDN
 *   functions.json = custom-function metadata generated from the JSDoc in src/functions/functions.ts
 *   manifest.xml   = copied; in a production build with CAMPFIRE_ADDIN_URL set, every https://localhost:3000/
 *                    becomes that URL (the Office templates' urlDev -> urlProd rewrite)
 * With `--env preview` it builds the browser preview into dist-preview/ instead (npm run preview, the e2e tests):
 *   preview.html   = the same bundles with a fake Excel host installed first, office.js from office-js/ (offline)
 */
const path = require("path");
const CopyWebpackPlugin = require("copy-webpack-plugin");
const CustomFunctionsMetadataPlugin = require("custom-functions-metadata-plugin");
const HtmlWebpackPlugin = require("html-webpack-plugin");

const DEV_URL = "https://localhost:3000/";

/** The production base URL from CAMPFIRE_ADDIN_URL, normalised to end in "/"; null when unset. */
function productionUrl(raw) {
  if (raw === undefined || raw.trim() === "") return null;
  let url;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error(`CAMPFIRE_ADDIN_URL "${raw}" is not a URL; expected e.g. https://addin.example.com/`);
  }
  // Office loads add-in pages only over https; a manifest with http:// URLs is rejected at sideload time.
  if (url.protocol !== "https:") {
    throw new Error(`CAMPFIRE_ADDIN_URL must be an https:// URL (Office requires it), got "${raw}"`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new Error(`CAMPFIRE_ADDIN_URL must be a plain base URL without query, fragment or credentials, got "${raw}"`);
  }
  return url.href.endsWith("/") ? url.href : `${url.href}/`;
}

/** The deployable add-in: the shared runtime page, icons and the manifest. */
function productionPlugins(prodUrl) {
  return [
    new HtmlWebpackPlugin({
      filename: "taskpane.html",
      template: "./src/taskpane/taskpane.html",
      chunks: ["webpack-runtime", "functions", "taskpane"],
      chunksSortMode: "manual",
    }),
    new CopyWebpackPlugin({
      patterns: [
        { from: "assets/*.png", to: "assets/[name][ext]" },
        {
          from: "manifest.xml",
          to: "manifest.xml",
          transform(content) {
            return prodUrl === null ? content : content.toString().replaceAll(DEV_URL, prodUrl);
          },
        },
      ],
    }),
  ];
}

/** The browser preview: the production bundles behind the Excel fake, with office.js served locally. */
function previewPlugins() {
  return [
    new HtmlWebpackPlugin({
      filename: "preview.html",
      template: "./preview/page/preview.html",
      chunks: ["webpack-runtime", "preview", "functions", "taskpane"],
      chunksSortMode: "manual",
    }),
    new CopyWebpackPlugin({
      patterns: [
        { from: "assets/icon-32.png", to: "assets/[name][ext]" },
        // The preview runs without network access, so it loads office.js from here instead of the Office CDN.
        // Outside an Office client office.js also fetches its app-to-file mapping table; the strings are its
        // locale fallback. Copied as shipped (already minified; re-minifying would strip the licence header).
        ...["office.js", "o15apptofilemappingtable.js", "en-us/office_strings.js"].map((file) => ({
          from: `node_modules/@microsoft/office-js/dist/${file}`,
          to: `office-js/${file}`,
          info: { minimized: true },
        })),
      ],
    }),
  ];
}

module.exports = (env = {}, argv = {}) => {
  const preview = env.preview === true || env.preview === "true";
  const mode = argv.mode === "development" ? "development" : "production";
  const dev = mode === "development";
  // Development builds are served by the local host (npm start), so their manifest keeps the localhost URLs.
  const prodUrl = dev ? null : productionUrl(process.env.CAMPFIRE_ADDIN_URL);

  return {
    mode,
    devtool: dev ? "source-map" : false,
    context: __dirname,
    entry: {
      taskpane: "./src/taskpane/taskpane.ts",
      functions: "./src/functions/functions.ts",
      ...(preview ? { preview: "./preview/page/preview.ts" } : {}),
    },
    output: {
      path: path.resolve(__dirname, preview ? "dist-preview" : "dist"),
      filename: "[name].js",
      clean: true,
    },
    // Several entries run on one page (the shared runtime): one webpack runtime chunk makes them share one module
    // instance of everything they both import (session, caches) instead of each getting its own copy.
    // splitChunks then ships each such module once: without it, zod, ky and the api were in both functions.js
    // and taskpane.js (one instance at run time, but downloaded and parsed twice). Every module used by two or
    // more entries goes to one chunk per set of entries sharing it (named by content id, e.g. 937.js), whatever
    // its size (minSize 0: a small duplicate is still a duplicate); html-webpack-plugin adds those chunks to each
    // page that needs them.
    optimization: {
      // Named for what it is: "runtime" alone in this project means Excel's shared runtime (the page).
      runtimeChunk: { name: "webpack-runtime" },
      splitChunks: {
        chunks: "all",
        minSize: 0,
        cacheGroups: {
          // node_modules code used by one entry only stays in that entry's chunk: one request fewer per page.
          defaultVendors: false,
          default: { minChunks: 2, priority: -20, reuseExistingChunk: true },
        },
      },
    },
    resolve: { extensions: [".ts", ".js"] },
    module: {
      rules: [
        {
          test: /\.ts$/,
          exclude: /node_modules/,
          // Type errors are `npm run typecheck`'s job; the build only strips types.
          use: { loader: "ts-loader", options: { transpileOnly: true, configFile: "tsconfig.json" } },
        },
      ],
    },
    performance: { hints: "warning", maxAssetSize: 512 * 1024, maxEntrypointSize: 768 * 1024 },
    plugins: [
      new CustomFunctionsMetadataPlugin({ output: "functions.json", input: "./src/functions/functions.ts" }),
      ...(preview ? previewPlugins() : productionPlugins(prodUrl)),
    ],
  };
};
