# omv's libusb backend against a virtual OPENMV4 in its bootloader: list, flash with --verify,
# flash again (every erase unit identical: nothing written), read back, erase-fs.
fw=$(data openmv4-firmware.bin 300000)
romfs=$(data openmv4-romfs0.img 40000)
start_camera OPENMV4 /tmp/state/openmv4-omv
wait_usb 37c5 9204 || fail "the virtual OPENMV4 did not enumerate"

show omv list
[ "$rc" = 0 ] || fail "omv list failed ($rc)"
grep -q "OPENMV4" out.txt && grep -qi "37C5:9204" out.txt || fail "omv list does not show the OPENMV4 bootloader"

show omv --json flash OPENMV4 --firmware "$fw" --romfs "$romfs" --verify --no-reset
[ "$rc" = 0 ] || fail "omv flash failed ($rc): $(grep -m1 error out.txt)"
expect_image "$state/internal.bin" $((0x40000)) "$fw"
expect_image "$state/internal.bin" $((0x1E0000)) "$romfs"
cp out.txt flash1.json

show omv --json flash OPENMV4 --firmware "$fw" --romfs "$romfs" --no-reset
[ "$rc" = 0 ] || fail "second omv flash failed ($rc)"
grep '"event":"result"' out.txt | grep -q '"written_bytes":0[,}]' ||
  fail "the second flash wrote again: $(grep '"event":"result"' out.txt | head -c 300)"

show omv read OPENMV4 --partition FIRMWARE -o read-firmware.bin
[ "$rc" = 0 ] || fail "omv read failed ($rc)"
region read-firmware.bin 0 "$(wc -c < "$fw")" > head.bin
same_bytes head.bin "$fw"
mkdir -p /tmp/results && cp read-firmware.bin /tmp/results/openmv4-omv-read-firmware.bin

show omv erase-fs OPENMV4 --no-reset
[ "$rc" = 0 ] || fail "omv erase-fs failed ($rc)"
expect_fill "$state/internal.bin" $((0x20000)) 4096 000
note "list, flash --verify ($(wc -c < "$fw") + $(wc -c < "$romfs") B), re-flash wrote 0 B, read back, erase-fs"
