#!/usr/bin/env bash
# What a first build costs: a cold Release build of omv, one object per file against unity
# batches (OMV_UNITY), each in a fresh build folder, timed side by side in one run. Prints both
# times and the ratio. Takes a few minutes on two cores; not part of CI.
#   bench/cold_build.sh [extra cmake options...]
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d "${TMPDIR:-/tmp}/omv-cold-build.XXXXXX")
trap 'rm -rf "$work"' EXIT

cold_build() {
  local dir=$work/$1; shift
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DOMV_TESTS=OFF -DOMV_BENCH=OFF "$@" >/dev/null
  local start=$EPOCHREALTIME
  cmake --build "$dir" --target omv >/dev/null
  awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'
}

per_file=$(cold_build per-file -DOMV_UNITY=OFF "$@")
unity=$(cold_build unity -DOMV_UNITY=ON "$@")
echo "cold Release omv on $(scripts/cpus.sh) cores: one object per file ${per_file} s, unity batches ${unity} s"
awk -v a="$per_file" -v b="$unity" 'BEGIN { printf "ratio per-file / unity: %.2f\n", a / b }'
