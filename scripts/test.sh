#!/usr/bin/env bash
# Builds everything and runs every test once: the release and ASan+UBSan builds, the tests under
# the sanitizers (the real-USB guest and the package test in the release build), and each fuzz
# target for a bounded time; the fuzz tree also builds omv on the POSIX platform layer and checks
# it calls no Linux-only function. Installs the Debian packages it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
jobs=$(scripts/cpus.sh)

# The release build makes what a user runs (omv), the benchmarks, and the real-USB guest's
# pieces; the test binaries are built once, with the sanitizers, where they run. Line tables
# (-g1) are enough for the sanitizers' stack traces and much cheaper to compile than full -g.
echo "== build (release: omv, benchmarks, the real-USB guest)"
scripts/build.sh build -DCMAKE_BUILD_TYPE=Release -- omv benchmarks omv_realusb_plumbing
echo "== build (ASan + UBSan)"
scripts/build.sh build-asan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 -DOMV_SANITIZE=ON -DOMV_BENCH=OFF

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

echo "== tests (release: the real-USB guest, the install and the .deb)"
ctest --test-dir build --output-on-failure -j "$jobs" -L 'real-usb|package'

if [ "${OMV_SKIP_FUZZ:-0}" != 1 ] && ls fuzz/*_fuzz.cpp >/dev/null 2>&1; then
  echo "== fuzz targets (${OMV_FUZZ_SECONDS:-12} s each)"
  # The fuzz tree is also the portable build: omv made with the POSIX platform layer
  # (-DOMV_PLATFORM=posix) must call no Linux-only function.
  if [ -f build-fuzz/CMakeCache.txt ] && ! grep -q '^OMV_PLATFORM:STRING=posix$' build-fuzz/CMakeCache.txt; then
    cmake -S . -B build-fuzz -DOMV_PLATFORM=posix >/dev/null
  fi
  scripts/build.sh build-fuzz -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
    -DOMV_FUZZ=ON -DOMV_TESTS=OFF -DOMV_BENCH=OFF -DOMV_PLATFORM=posix -- fuzzers omv
  scripts/check-portable.sh build-fuzz/omv
  scripts/fuzz.sh build-fuzz "${OMV_FUZZ_SECONDS:-12}"
fi

# Every test runs once: all but two under the sanitizers; the real-USB guest (a QEMU machine
# running omv under an emulated CPU, five times slower with ASan) and the package test (it ships
# the release binary) in the release build.
echo "== tests under ASan + UBSan (all but the real-USB guest and the package test)"
ctest --test-dir build-asan --output-on-failure -j "$jobs" -LE 'real-usb|package'
