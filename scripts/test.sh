#!/usr/bin/env bash
# Builds everything and runs every test: the release build, the same tests under ASan+UBSan,
# and each fuzz target for a bounded time. Installs the Debian packages it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
jobs=$(nproc)

echo "== build (release)"
scripts/build.sh build -DCMAKE_BUILD_TYPE=RelWithDebInfo
echo "== build (ASan + UBSan)"
scripts/build.sh build-asan -DCMAKE_BUILD_TYPE=Debug -DOMV_SANITIZE=ON -DOMV_BENCH=OFF

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
echo "== tests under ASan + UBSan"
ctest --test-dir build-asan --output-on-failure -j "$jobs"

if [ "${OMV_SKIP_FUZZ:-0}" != 1 ] && ls fuzz/*_fuzz.cpp >/dev/null 2>&1; then
  echo "== fuzz targets (${OMV_FUZZ_SECONDS:-20} s each)"
  scripts/build.sh build-fuzz -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
    -DOMV_FUZZ=ON -DOMV_TESTS=OFF -DOMV_BENCH=OFF
  scripts/fuzz.sh build-fuzz "${OMV_FUZZ_SECONDS:-20}"
fi

echo "== tests (release)"
ctest --test-dir build --output-on-failure -j "$jobs"
