#!/usr/bin/env bash
# Configures (once) and builds one build tree, warnings as errors.
# Usage: scripts/build.sh DIR [cmake options...] [-- TARGET...]   (no targets: everything)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$1; shift
options=() targets=()
while [ $# -gt 0 ]; do
  if [ "$1" = -- ]; then shift; targets=("$@"); break; fi
  options+=("$1"); shift
done
if [ ! -f "$dir/build.ninja" ]; then
  cmake -S . -B "$dir" -G Ninja -DOMV_WERROR=ON "${options[@]}" >/dev/null
fi
if [ ${#targets[@]} -gt 0 ]; then
  cmake --build "$dir" --target "${targets[@]}"
else
  cmake --build "$dir"
fi
