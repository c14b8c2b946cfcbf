import type { Options } from "tsup"

/** The one tsup recipe every package builds with: ESM and CJS, with declarations for both. */
export const config = (overrides: Partial<Options> = {}): Options => ({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: { compilerOptions: { customConditions: [] } },
  tsconfig: "tsconfig.build.json",
  sourcemap: true,
  clean: true,
  splitting: false,
  treeshake: true,
  target: "node20",
  ...overrides
})
