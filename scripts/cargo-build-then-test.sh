#!/bin/sh
# Stands in for cargo under `napi build` when scripts/build.mjs is given
# --cargo-test: builds, then runs the Rust unit tests with the same flags
# and environment, so they reuse the build's compiled dependencies. The
# environment matters: napi's type-definition folder is an input of the
# build script, and a `cargo test` without it would rebuild the crate (and
# the next build would rebuild it again). The tests build with the
# `bench` feature, so that the benchmark's Rust code is compiled (and kept
# compiling) by every test run.
set -e
if [ "$1" != build ]; then exec cargo "$@"; fi
cargo "$@"
shift
exec cargo test --lib --features bench "$@"
