#!/usr/bin/env bash
# Runs every check of the project: formatting, Clippy, unit and API tests,
# component tests and end-to-end tests in headless Chromium. Installs the
# tools it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

bash scripts/install-tools.sh

step() { printf '\n==> %s\n' "$*"; }

# CI builds once from a clean clone, so incremental data would only cost disk
# space and time there.
if [ "${CI:-}" = true ]; then
  export CARGO_INCREMENTAL=0
fi

step "Disk space before the build"
df -h .

step "Formatting"
cargo fmt --all --check

step "Clippy: core, server and end-to-end harness"
cargo clippy -p gatehouse-core -p gatehouse-server -p gatehouse-e2e --all-targets -- -D warnings

step "Clippy: console (wasm32)"
cargo clippy -p gatehouse-console --target wasm32-unknown-unknown --all-targets -- -D warnings

step "Unit and API tests"
cargo test -p gatehouse-core -p gatehouse-server

step "Component tests in headless Chromium"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}" \
  WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}" \
  cargo test -p gatehouse-console --target wasm32-unknown-unknown

step "Build the console"
trunk build --release

step "End-to-end tests in headless Chromium"
GATEHOUSE_DIST="$PWD/dist" cargo test -p gatehouse-e2e
