#!/usr/bin/env bash
# Installs the Debian 12 packages omv needs to build and test. Idempotent: installs only
# what is missing, and runs apt-get update only when something is.
#   scripts/deps.sh            build + test dependencies
#   scripts/deps.sh --build    only what building omv needs
#   scripts/deps.sh --demo     what building omv and running scripts/demo.sh need
set -euo pipefail

build_packages=(
  build-essential cmake ninja-build pkg-config git
  libusb-1.0-0-dev libhidapi-dev libserialport-dev libcurl4-openssl-dev libssl-dev
  libarchive-dev libelf-dev libdw-dev libsqlite3-dev zlib1g-dev nlohmann-json3-dev libcli11-dev libfmt-dev
)
test_packages=(
  libgtest-dev libgmock-dev libbenchmark-dev clang libclang-rt-14-dev python3 python3-serial xz-utils
  gcc-arm-none-eabi libnewlib-arm-none-eabi binutils-arm-none-eabi
  qemu-system-arm gdb-multiarch dfu-util bossa-cli
  qemu-system-x86 cpio kmod
  openssl wget zsh fish
  help2man lintian man-db
)

# The debug loop of scripts/demo.sh: cross-compiler, newlib, QEMU and gdb.
demo_packages=(
  gcc-arm-none-eabi libnewlib-arm-none-eabi binutils-arm-none-eabi qemu-system-arm gdb-multiarch
)

wanted=("${build_packages[@]}")
case "${1:-}" in
  --build) ;;
  --demo) wanted+=("${demo_packages[@]}") ;;
  *) wanted+=("${test_packages[@]}") ;;
esac

missing=()
for pkg in "${wanted[@]}"; do
  # One status line per installed architecture (a multiarch machine may have pkg:amd64 and pkg:arm64).
  if ! dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -qx "install ok installed"; then
    missing+=("$pkg")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "deps: missing Debian packages: ${missing[*]}" >&2
  echo "deps: run as root (or: sudo apt-get install ${missing[*]})" >&2
  exit 13
fi
echo "deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
