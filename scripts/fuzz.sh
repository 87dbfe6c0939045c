#!/usr/bin/env bash
# Runs every fuzz target in a build tree for SECONDS each, starting from its seed corpus, as many
# at once as there are cores (OMV_FUZZ_JOBS overrides).
# Usage: scripts/fuzz.sh BUILD_DIR SECONDS
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$1; seconds=$2
parallel=${OMV_FUZZ_JOBS:-$(getconf _NPROCESSORS_ONLN)}
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

# One target: its verdict goes to $results/NAME.ok or $results/NAME.failed (with the log's tail).
run_one() {
  local bin=$1 name corpus work
  name=$(basename "$bin" _fuzz)
  corpus=fuzz/corpus/$name
  work=$(mktemp -d)
  [ -d "$corpus" ] && cp -r "$corpus"/. "$work"/
  if "$bin" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -print_final_stats=0 \
      "$work" >"$work.log" 2>&1; then
    echo "fuzz $name: ok ($(grep -c '' "$work.log") log lines, ${seconds}s)" >"$results/$name.ok"
  else
    { echo "fuzz $name: FAILED"; tail -40 "$work.log"; } >"$results/$name.failed"
  fi
  rm -rf "$work" "$work.log"
}

for bin in "$dir"/fuzz/*_fuzz; do
  [ -x "$bin" ] || continue
  while [ "$(jobs -rp | wc -l)" -ge "$parallel" ]; do wait -n || true; done
  run_one "$bin" &
done
wait

cat "$results"/*.ok 2>/dev/null || true
if compgen -G "$results/*.failed" >/dev/null; then
  cat "$results"/*.failed
  exit 1
fi
