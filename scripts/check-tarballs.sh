#!/usr/bin/env bash
# As a new team starts: packs every package, installs the tarballs with npm into an empty project
# (with the Effect 3 line the README names), then compiles scripts/consumer/consumer.mts against
# them under strict settings and runs it (SQLite file, .eml outbox). Needs `pnpm build` first and the
# npm registry; better-sqlite3 builds against the machine's Node headers (npm_config_nodedir).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/tarballs" "$work/app"
for dir in packages/core packages/storage-sql packages/storage-sqlite packages/email-smtp packages/calendar-ical; do
  (cd "$dir" && pnpm pack --pack-destination "$work/tarballs" >/dev/null)
done
cd "$work/app"
npm init -y >/dev/null
export npm_config_nodedir="${npm_config_nodedir:-/usr}"
npm install --no-audit --no-fund --loglevel=error \
  "$work"/tarballs/*.tgz \
  "effect@^3.22" "@effect/sql@0.52" "@effect/platform@0.97" "@effect/experimental@0.61" \
  "typescript@~5.9" "@types/node@^20.19"
cp "$root/scripts/consumer/consumer.mts" "$root/scripts/consumer/tsconfig.json" .
npx tsc -p .
node dist/consumer.mjs
