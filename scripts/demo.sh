#!/usr/bin/env bash
# omv's main job on its embedded default, narrated: the firmware developer loop on MPS2_AN500, a
# Cortex-M7 board that QEMU emulates. Build omv and the demo firmware, start a virtual camera,
# flash the firmware into it over DFU, run it under QEMU from the flashed bytes, stop at a line of
# main, single-step and print a variable, read its RTT output while it runs, then stop everything.
# Installs the Debian packages it needs first (scripts/deps.sh --demo). OMV_BUILD_DIR picks the
# build folder (default: build).
set -euo pipefail
cd "$(dirname "$0")/.."

target=MPS2_AN500
firmware=examples/firmware
serial=DEMO0001
build=${OMV_BUILD_DIR:-build}
omv=$build/omv
started=$SECONDS

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
say() { printf '   %s\n' "$*"; }
show() {
  printf '   $ %s\n' "$*"
  "$@"
}
has_command() { "$omv" "$1" --help >/dev/null 2>&1; }

bus=$(mktemp -d "${TMPDIR:-/tmp}/omv-demo-bus.XXXXXX")
cleanup() {
  if [ -n "${server:-}" ]; then kill -INT "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  if [ -n "${camera_started:-}" ]; then "$omv" sim stop --bus "$bus" --serial "$serial" >/dev/null 2>&1 || true; fi
  rm -rf "$bus"
}
trap cleanup EXIT

step "1/8 Install what the loop needs: cmake, a C++ compiler, arm-none-eabi-gcc + newlib, QEMU, gdb-multiarch"
show scripts/deps.sh --demo
say "(Debian packages; nothing is installed when they are already there)"

step "2/8 Build omv"
if [ ! -f "$build/build.ninja" ]; then
  show cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DOMV_WERROR=ON >/dev/null
fi
show cmake --build "$build" --target omv

step "3/8 Build the demo firmware for $target with DEBUG=1 (-Og -ggdb3: what a debugger wants)"
say "examples/firmware is laid out like the OpenMV firmware: make TARGET=..., boards/<TARGET>/board_config.mk"
if has_command build; then
  show "$omv" build "$target" --repo "$firmware" --debug
else
  say "(this omv has no 'build' command yet: running the make it would run)"
  show make -C "$firmware" TARGET="$target" DEBUG=1 -j"$(scripts/cpus.sh)"
fi
bin=$firmware/build/$target/bin/firmware.bin

step "4/8 Start a virtual camera: an $target with an OpenMV-style DFU bootloader, its flash in a file"
if has_command sim; then
  show "$omv" sim start "$target" --bus "$bus" --serial "$serial"
  camera_started=1
else
  say "(this omv has no 'sim' command yet: creating the camera's erased 4 MiB code memory by hand)"
  mkdir -p "$bus/$serial"
  head -c 4194304 /dev/zero | tr '\0' '\377' >"$bus/$serial/code.bin"
  printf '{"serial": "%s", "target": "%s"}\n' "$serial" "$target" >"$bus/$serial/device.json"
fi
say "the camera's memory: $bus/$serial/code.bin"

step "5/8 Flash the firmware into the camera over DFU"
if has_command flash; then
  show "$omv" flash "$target" --sim "$bus" --firmware "$bin"
else
  say "(this omv has no 'flash' command yet: writing firmware.bin where the bootloader's FIRMWARE partition is, at 0)"
  show dd if="$bin" of="$bus/$serial/code.bin" conv=notrunc status=none
fi

step "6/8 Debug the camera under QEMU, from the bytes flashed into it"
line=$(grep -n '// @count' "$firmware/src/main.c" | cut -d: -f1)
say "omv starts qemu-system-arm -M mps2-an500 -S with the camera's memory loaded at address 0; the core"
say "boots from the vector table in those bytes. gdb connects, stops at a line of main, steps, prints."
cat >"$bus/demo.gdb" <<EOF
echo \n-- break at main.c:$line (frame_count++) and run to it\n
break main.c:$line
continue
echo \n-- the frame counter before this line runs\n
print frame_count
echo \n-- single-step one line\n
next
echo \n-- the counter after it, and a local of main\n
print frame_count
print brightness
print frame->sequence
EOF
show "$omv" debug "$target" --repo "$firmware" --sim "$bus" --serial "$serial" --batch "$bus/demo.gdb"

# shellcheck disable=SC2012  # the newest log by time; omv names them uart-<time>.log
uart=$(ls -t "$firmware/build/$target/debug"/uart-*.log 2>/dev/null | head -1 || true)
if [ -n "$uart" ]; then  # the next QEMU may log to the same file
  cp "$uart" "$bus/uart-debug.log"
  uart=$bus/uart-debug.log
fi

step "7/8 Read what the firmware writes to its RTT buffer while it runs"
say "omv debug --no-gdb serves the camera under QEMU for a debugger; omv rtt is that debugger: it finds"
say "_SEGGER_RTT from the ELF and, since QEMU cannot be read while it runs, halts, reads and resumes."
"$omv" debug "$target" --repo "$firmware" --sim "$bus" --serial "$serial" --no-gdb >"$bus/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do grep -q "listening on" "$bus/serve.log" && break; sleep 0.1; done
port=$(sed -n 's/.*listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$bus/serve.log" | head -1)
show "$omv" rtt "$target" --gdb "127.0.0.1:$port" --elf "$firmware/build/$target/bin/firmware.elf" --seconds 2
kill -INT "$server"
wait "$server" || true
server=

step "8/8 Stop everything"
if [ -n "$uart" ]; then
  say "what the firmware printed on its UART before the breakpoint:"
  sed 's/^/     | /' "$uart"
fi
cleanup
trap - EXIT
say "QEMU and gdb were stopped by omv; the virtual camera is gone. Done in $((SECONDS - started)) s."
say "Next: omv debug $target --repo $firmware   (interactive gdb, stopped at main)"
say "      omv vscode $target --repo $firmware  (the same loop from VS Code with Cortex-Debug)"
