#!/bin/sh
# Runs inside the guest (busybox sh): loads the USB/IP virtual host controller the gadget hosts
# attach their devices to, then runs every scenario in /share/scenarios, one at a time. Each
# scenario is a shell file run in its own shell and folder; exit 0 = pass, 77 = skip, anything
# else = fail. The one-line note it leaves in $NOTE goes into /share/out/results:
#   PASS|FAIL|SKIP <name> <seconds> <note>
S=/share
OUT=$S/out
export PATH=$S/bin:/bin
export LD_LIBRARY_PATH=$S/lib
export OMV_GADGET_TRACE=1
mkdir -p /lib64 && ln -sf $S/lib/ld-linux-x86-64.so.2 /lib64/ld-linux-x86-64.so.2

# A user without root rights, for the permission scenario.
printf 'root:x:0:0:root:/root:/bin/sh\ncamuser:x:1000:1000:camera user:/tmp:/bin/sh\n' > /etc/passwd
printf 'root:x:0:\ncamuser:x:1000:\n' > /etc/group

uptime_s() { cut -d' ' -f1 /proc/uptime; }
echo "guest: userspace at $(uptime_s) s"
: > $OUT/results
if ! modprobe vhci-hcd nr_hcs=1; then
  echo "FAIL setup 0 cannot load vhci-hcd" >> $OUT/results
  exit 1
fi
echo "guest: vhci-hcd up at $(uptime_s) s"

only=$(cat $S/only 2>/dev/null)
failed=0
for f in "$S"/scenarios/*.sh; do
  name=$(basename "$f" .sh)
  if [ -n "$only" ] && ! echo "$name" | grep -q -- "$only"; then continue; fi
  work=$(mktemp -d /tmp/scenario.XXXXXX)
  note=$work/.note
  start=$(uptime_s)
  (cd "$work" && NOTE=$note SCENARIO=$name timeout -s KILL 300 sh -c ". $S/guest/lib.sh; . $f") > "$OUT/$name.log" 2>&1
  rc=$?
  # Whatever the scenario left running (gadget hosts) goes before the next one starts (a pid per word).
  # shellcheck disable=SC2013
  for pid in $(cat /tmp/gadget.pids 2>/dev/null); do kill "$pid" 2>/dev/null; done
  sleep 0.2
  # shellcheck disable=SC2013
  for pid in $(cat /tmp/gadget.pids 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
  rm -f /tmp/gadget.pids
  if [ -s "$work/gadget.err" ]; then
    echo "--- gadget host stderr"
    cat "$work/gadget.err"
  fi >> "$OUT/$name.log"
  secs=$(awk -v a="$start" -v b="$(uptime_s)" 'BEGIN { printf "%.1f", b - a }')
  text=$(head -n 1 "$note" 2>/dev/null)
  case $rc in
    0) verdict=PASS ;;
    77) verdict=SKIP ;;
    *) verdict=FAIL; failed=1; [ -n "$text" ] || text="exit $rc (see $name.log)" ;;
  esac
  echo "$verdict $name $secs ${text:-ok}" >> $OUT/results
  echo "guest: $verdict $name ($secs s)"
done
echo "guest: done at $(uptime_s) s"
dmesg > $OUT/dmesg.log 2>&1
exit $failed
