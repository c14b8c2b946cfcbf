#!/usr/bin/env bash
# Packs every package as it would be published (pnpm pack applies publishConfig), then lints each
# tarball with publint and @arethetypeswrong/cli, and checks its declaration maps. Fails on any error. Needs `pnpm build` first.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for dir in packages/*/; do
  (cd "$dir" && pnpm pack --pack-destination "$out" >/dev/null)
done
status=0
for tarball in "$out"/*.tgz; do
  name="$(basename "$tarball")"
  # the published manifest must not carry the workspace-only export condition nor workspace: ranges
  if tar -xzOf "$tarball" package/package.json | grep -Eq '"@copkit/source"|"workspace:'; then
    echo "$name: the packed package.json still has @copkit/source or a workspace: range"; status=1
  fi
  # declaration maps ship, and point into the shipped src/ ("go to definition" lands in TypeScript)
  node scripts/check-declaration-maps.mjs "$tarball" || status=1
  pnpm exec publint run "$tarball" --strict || status=1
  # node16 profile: node10 resolution ignores "exports" (subpaths like @copkit/testing/contracts);
  # every package requires Node >= 20.19 and TypeScript users resolve with node16/nodenext/bundler.
  pnpm exec attw "$tarball" --profile node16 --format table-flipped || status=1
done
exit $status
