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
  ready=/tmp/ready.$$.$RANDOM
  rm -f "$ready"
  "$@" --ready "$ready" > gadget.out 2>> gadget.err &
  gadget_pid=$!
  echo "$gadget_pid" >> /tmp/gadget.pids
  n=100
  while [ ! -f "$ready" ] && [ $n -gt 0 ]; do
    kill -0 "$gadget_pid" 2> /dev/null || { cat gadget.err; fail "gadget host exited at start: $*"; }
    sleep 0.1
    n=$((n - 1))
  done
  [ -f "$ready" ] || fail "gadget host not ready after 10 s: $*"
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
