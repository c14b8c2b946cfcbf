import type { Options } from "tsup"

/** The one tsup recipe every package builds with: ESM and CJS; `scripts/build-types.mjs` adds the declarations. */
export const config = (overrides: Partial<Options> = {}): Options => ({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  // declarations (with declaration maps) are written by scripts/build-types.mjs, after tsup
  dts: false,
  tsconfig: "tsconfig.build.json",
  sourcemap: true,
  clean: true,
  splitting: false,
  treeshake: true,
  target: "node20",
  ...overrides
})
