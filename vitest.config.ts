import { defineConfig } from "vitest/config"

export default defineConfig({
  resolve: { conditions: ["@copkit/source"] },
  ssr: { resolve: { conditions: ["@copkit/source"] } },
  test: {
    include: ["packages/*/test/**/*.test.ts", "examples/*/test/**/*.test.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ["default"]
  }
})
