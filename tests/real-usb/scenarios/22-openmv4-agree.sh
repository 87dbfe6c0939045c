# omv and dfu-util left the two virtual OPENMV4s with the same memory, byte for byte, and read the
# firmware partition back the same way.
a=/tmp/state/openmv4-omv/internal.bin
b=/tmp/state/openmv4-dfu-util/internal.bin
[ -f "$a" ] && [ -f "$b" ] || skip "needs 20-openmv4-omv and 21-openmv4-dfu-util"
cmp "$a" "$b" || fail "internal.bin differs between omv and dfu-util: $(cmp "$a" "$b" 2>&1 | head -n 1)"
r=/tmp/results/openmv4-omv-read-firmware.bin
u=/tmp/results/openmv4-dfu-util-upload-firmware.bin
n=$(wc -c < "$r")
region "$u" 0 "$n" > upload-head.bin
cmp "$r" upload-head.bin || fail "omv read and dfu-util -U disagree on FIRMWARE: $(cmp "$r" upload-head.bin 2>&1)"
note "internal.bin identical ($(wc -c < "$a") B); omv read = dfu-util -U over $n B (dfu-util got $(wc -c < "$u") B)"
