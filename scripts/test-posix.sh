#!/usr/bin/env bash
# Builds omv and its tests on the POSIX platform layer (-DOMV_PLATFORM=posix: what macOS and
# the BSDs get, here on Linux), checks the binary calls no Linux-only function, and runs every
# test but the ones that need Linux's USB stack (real-usb) or the Debian package (package).
# Not part of CI (scripts/test.sh builds the posix omv in its fuzz tree); a full run outside it.
# Usage: scripts/test-posix.sh [BUILD_DIR]   (default build-posix)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build-posix}
scripts/build.sh "$dir" -DCMAKE_BUILD_TYPE=Release -DOMV_PLATFORM=posix -DOMV_BENCH=OFF
scripts/check-portable.sh "$dir/omv"
ctest --test-dir "$dir" --output-on-failure -j "$(scripts/cpus.sh)" -LE 'real-usb|package'
