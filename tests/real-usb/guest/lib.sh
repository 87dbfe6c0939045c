# Helpers for the scenarios (sourced by busybox sh inside the guest).

# note TEXT: the one-line summary shown for this scenario.
note() { echo "$*" > "$NOTE"; }
# fail TEXT: ends the scenario as failed with TEXT as its summary.
fail() { echo "FAILED: $*"; echo "$*" > "$NOTE"; exit 1; }
# skip TEXT: ends the scenario as skipped.
skip() { echo "SKIPPED: $*"; echo "$*" > "$NOTE"; exit 77; }

# show CMD...: prints and runs a command, keeping its exit code in $rc and output in out.txt.
show() {
  echo "+ $*"
  "$@" > out.txt 2>&1
  rc=$?
  cat out.txt
  echo "  (exit $rc)"
  return 0
}

# usb_path VID PID: the sysfs folder of the enumerated device with these ids (lowercase hex).
usb_path() {
  for d in /sys/bus/usb/devices/*; do
    [ -f "$d/idVendor" ] || continue
    if [ "$(cat "$d/idVendor")" = "$1" ] && [ "$(cat "$d/idProduct")" = "$2" ]; then echo "$d"; return 0; fi
  done
  return 1
}

# wait_usb VID PID [SECONDS]: waits until the device is enumerated (and configured).
wait_usb() {
  n=$(( ${3:-15} * 10 ))
  while [ $n -gt 0 ]; do
    d=$(usb_path "$1" "$2") && [ "$(cat "$d/bConfigurationValue" 2>/dev/null)" = "1" ] && return 0
    sleep 0.1
    n=$((n - 1))
  done
  echo "no $1:$2 on the bus after ${3:-15} s"
  return 1
}

# wait_gone VID PID [SECONDS]: waits until no such device is on the bus.
wait_gone() {
  n=$(( ${3:-15} * 10 ))
  while [ $n -gt 0 ]; do
    usb_path "$1" "$2" > /dev/null || return 0
    sleep 0.1
    n=$((n - 1))
  done
  echo "$1:$2 still on the bus after ${3:-15} s"
  return 1
}

# devnode VID PID: /dev/bus/usb/BBB/DDD of the device.
devnode() {
  d=$(usb_path "$1" "$2") || return 1
  printf '/dev/bus/usb/%03d/%03d\n' "$(cat "$d/busnum")" "$(cat "$d/devnum")"
}

# start_gadget CMD...: starts a gadget host in the background (it gets --ready FILE appended)
# and waits until it presented its device. Sets $gadget_pid.
start_gadget() {
  # shellcheck disable=SC3028  # busybox sh has RANDOM
  ready=/tmp/ready.$$.$RANDOM
  rm -f "$ready"
  "$@" --ready "$ready" > gadget.out 2>> gadget.err &
  gadget_pid=$!
  echo "$gadget_pid" >> /tmp/gadget.pids
  # A sanitizer build of omv starts slowly under the guest's emulated CPU: allow a minute.
  n=600
  while [ ! -f "$ready" ] && [ $n -gt 0 ]; do
    kill -0 "$gadget_pid" 2> /dev/null || { cat gadget.err; fail "gadget host exited at start: $*"; }
    sleep 0.1
    n=$((n - 1))
  done
  [ -f "$ready" ] || fail "gadget host not ready after 60 s: $*"
  echo "gadget host $gadget_pid: $*"
}

# stop_gadget: stops the gadget host started last and waits for it; sets $gadget_rc.
stop_gadget() {
  kill "$gadget_pid" 2> /dev/null
  wait "$gadget_pid"
  gadget_rc=$?
  echo "gadget host $gadget_pid ended ($gadget_rc): $(cat gadget.out)"
}

# same_bytes A B: fails the scenario unless both files have identical contents.
same_bytes() {
  cmp "$1" "$2" || fail "$1 and $2 differ ($(wc -c < "$1") vs $(wc -c < "$2") bytes)"
}

# data NAME SIZE: path of a file of SIZE random bytes, the same file for every scenario of a run
# (so images flashed by omv and by dfu-util can be compared).
data() {
  mkdir -p /tmp/data
  [ -f "/tmp/data/$1" ] || dd if=/dev/urandom of="/tmp/data/$1" bs="$2" count=1 2> /dev/null
  echo "/tmp/data/$1"
}

# zeros NAME SIZE: a file of SIZE zero bytes (the filesystem-erase block).
zeros() {
  mkdir -p /tmp/data
  [ -f "/tmp/data/$1" ] || dd if=/dev/zero of="/tmp/data/$1" bs="$2" count=1 2> /dev/null
  echo "/tmp/data/$1"
}

# start_camera TARGET STATE [omv sim gadget options...]: a virtual camera on the bus, its
# memories in the folder STATE (kept between scenarios); returns once the host enumerated it.
# Sets $state and $usb_id (vvvv:pppp, lowercase).
start_camera() {
  target=$1
  state=$2
  shift 2
  mkdir -p "$state"
  start_gadget omv --json sim gadget "$target" --state "$state" --time-scale 0 "$@"
  usb_id=$(grep -o ' as [0-9A-F]\{4\}:[0-9A-F]\{4\}' gadget.out | tail -n 1 | cut -c5- | tr 'A-F' 'a-f')
  [ -n "$usb_id" ] || fail "the gadget host did not say which device it presents: $(cat gadget.out)"
  wait_usb "${usb_id%:*}" "${usb_id#*:}" || fail "the virtual $target ($usb_id) did not enumerate"
}

# region FILE OFFSET LENGTH: LENGTH bytes of FILE from OFFSET (a multiple of 4096) on stdout.
region() {
  dd if="$1" bs=4096 skip=$(($2 / 4096)) 2> /dev/null | head -c "$3"
}

# expect_image MEMFILE OFFSET IMAGE: the memory holds IMAGE at OFFSET.
expect_image() {
  region "$1" "$2" "$(wc -c < "$3")" > region.bin
  cmp region.bin "$3" > /dev/null ||
    fail "$(basename "$1") at $(printf 0x%X "$2") does not hold $(basename "$3"): $(cmp region.bin "$3" 2>&1 | head -n 1)"
}

# expect_fill MEMFILE OFFSET LENGTH OCTAL: the memory holds LENGTH bytes of value OCTAL (000, 377).
expect_fill() {
  region "$1" "$2" "$3" > region.bin
  head -c "$3" /dev/zero | tr '\000' "\\$4" > fill.bin
  cmp region.bin fill.bin > /dev/null ||
    fail "$(basename "$1") at $(printf 0x%X "$2"): $3 bytes are not all \\$4: $(cmp region.bin fill.bin 2>&1 | head -n 1)"
}

# as_user CMD...: runs a command as the unprivileged user camuser (uid 1000, no extra groups).
# Busybox's setpriv cannot change ids; its su can (root needs no password). The environment
# (PATH, LD_LIBRARY_PATH) is kept; HOME becomes camuser's.
as_user() {
  cmd="cd /tmp && exec"  # the scenario's folder is root's
  for a in "$@"; do cmd="$cmd '$(printf '%s' "$a" | sed "s/'/'\\\\''/g")'"; done
  su -s /bin/sh -c "$cmd" camuser
}

# reset_done: after `show dfu-util ... --reset -D FILE`, true when the download completed and the
# reset was sent. dfu-util 0.11 exits with libusb's LIBUSB_ERROR_NOT_FOUND (-5, exit 251) when
# the device already left the bus by the time it resets the port (main.c keeps the reset's
# result as its exit status), which a camera leaving its bootloader on DETACH does.
reset_done() {
  grep -q '^Done!' out.txt && grep -q 'Resetting USB to switch back' out.txt || return 1
  ! grep -q 'error resetting\|error detaching' out.txt || return 1
  [ "$rc" = 0 ] || [ "$rc" = 251 ]
}

# enumerations: how many times the gadget host stopped by stop_gadget put its device on the bus.
enumerations() { sed -n 's/.* after \([0-9]*\) enumeration(s).*/\1/p' gadget.out | tail -n 1; }
