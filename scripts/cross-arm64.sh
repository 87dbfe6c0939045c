#!/usr/bin/env bash
# Cross-builds omv for Linux arm64 with Debian's aarch64-linux-gnu compiler and :arm64 libraries,
# and runs the unit tests under qemu-aarch64 in user mode (CMAKE_CROSSCOMPILING_EMULATOR; no
# binfmt needed). Installs what it needs first (as root). Not part of CI.
# Usage: scripts/cross-arm64.sh [BUILD_DIR]   (default build-arm64)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build-arm64}

# Header-only dependencies (nlohmann-json3-dev, libcli11-dev) are the same for every
# architecture and come from scripts/deps.sh --build.
packages=(
  g++-aarch64-linux-gnu qemu-user
  libusb-1.0-0-dev:arm64 libhidapi-dev:arm64 libserialport-dev:arm64 libcurl4-openssl-dev:arm64
  libssl-dev:arm64 libarchive-dev:arm64 libelf-dev:arm64 libdw-dev:arm64 libsqlite3-dev:arm64
  zlib1g-dev:arm64 libfmt-dev:arm64 libgtest-dev:arm64 libgmock-dev:arm64
)
scripts/deps.sh --build
if ! dpkg --print-foreign-architectures | grep -qx arm64; then dpkg --add-architecture arm64; fi
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi

scripts/build.sh "$dir" -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/aarch64-linux-gnu.cmake \
  -DCMAKE_BUILD_TYPE=Release -DOMV_BENCH=OFF -- omv omv_unit_tests
file "$dir/omv"
ctest --test-dir "$dir" --output-on-failure -j "$(scripts/cpus.sh)" -L unit
