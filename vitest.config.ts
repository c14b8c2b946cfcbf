import { fileURLToPath } from "node:url"
import { defineConfig } from "vitest/config"

const testingSource = fileURLToPath(new URL("./packages/testing/src/index.ts", import.meta.url))

export default defineConfig({
  resolve: {
    conditions: ["@copkit/source"],
    // @copkit/core's own tests use @copkit/testing, which depends on core: an alias instead of a
    // devDependency keeps the workspace free of a dependency cycle.
    alias: [{ find: /^@copkit\/testing$/, replacement: testingSource }]
  },
  ssr: { resolve: { conditions: ["@copkit/source"] } },
  test: {
    include: ["packages/*/test/**/*.test.ts", "examples/*/test/**/*.test.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ["default"]
  }
})
