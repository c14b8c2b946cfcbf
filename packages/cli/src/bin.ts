#!/usr/bin/env node
// The `copkit` binary: runs the command and exits with its code (see ExitCode).
import { createRequire } from "node:module"
import { main } from "./Cli.js"

const { version } = createRequire(import.meta.url)("../package.json") as { readonly version: string }
process.exitCode = await main(process.argv, { version })
// A pool or socket a library forgot to close must not keep a finished command alive.
setTimeout(() => process.exit(), 2000).unref()
