#!/usr/bin/env bash
# omv's main job on its embedded default. Installs what it needs, builds omv, then runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh --build
scripts/build.sh build -DCMAKE_BUILD_TYPE=RelWithDebInfo
echo
echo "== omv boards: every camera omv knows, from the board data compiled into build/omv"
build/omv boards
echo
echo "== omv board OPENMV4: the OpenMV Cam H7's partitions as its bootloader exposes them"
build/omv board OPENMV4
