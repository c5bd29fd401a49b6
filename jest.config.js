/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test", "<rootDir>/preview/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.[tj]s$": ["ts-jest", { tsconfig: "tsconfig.test.json" }] },
  // ky is ESM-only; it runs through ts-jest like our own code.
  transformIgnorePatterns: ["/node_modules/(?!(.*/)?(ky)/)"],
  testTimeout: 30000,
};
