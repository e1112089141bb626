#!/usr/bin/env bash
# Builds the console and runs it with the reference server on an embedded
# SQLite file. Installs the tools it needs first.
#
# GATEHOUSE_LISTEN (default 127.0.0.1:8080) and GATEHOUSE_DATABASE (default
# data/gatehouse.sqlite) change where it listens and what file it uses.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

bash scripts/install-tools.sh
trunk build --release
cargo build --release -p gatehouse-server

exec target/release/gatehouse-server \
  --listen "${GATEHOUSE_LISTEN:-127.0.0.1:8080}" \
  --database "${GATEHOUSE_DATABASE:-data/gatehouse.sqlite}" \
  --dist dist \
  --tenant-options premium_federation,mfa
