# omv and dfu-util left the two virtual OPENMV_AE3s with the same MRAM and octal flash.
for m in mram ospi; do
  a=/tmp/state/ae3-omv/$m.bin
  b=/tmp/state/ae3-dfu-util/$m.bin
  [ -f "$a" ] && [ -f "$b" ] || skip "needs 30-ae3-omv and 31-ae3-dfu-util"
  cmp "$a" "$b" || fail "$m.bin differs between omv and dfu-util: $(cmp "$a" "$b" 2>&1 | head -n 1)"
done
r=/tmp/results/ae3-omv-read-hp.bin
n=$(wc -c < "$r")
region /tmp/results/ae3-dfu-util-upload-hp.bin 0 "$n" > upload-head.bin
cmp "$r" upload-head.bin || fail "omv read and dfu-util -U disagree on HP: $(cmp "$r" upload-head.bin 2>&1)"
note "mram.bin and ospi.bin identical; omv read = dfu-util -U over HP ($n B)"
