# omv against a virtual OPENMV_AE3 (MRAM and octal flash behind one DFU bootloader): list, flash
# the four images with --verify, re-flash (nothing written), read back, erase-fs.
hp=$(data ae3-hp.bin 200000)
he=$(data ae3-he.bin 100000)
romfs1=$(data ae3-romfs1.img 30000)
romfs0=$(data ae3-romfs0.img 50000)
start_camera OPENMV_AE3 /tmp/state/ae3-omv
wait_usb 37c5 96e3 || fail "the virtual OPENMV_AE3 did not enumerate"
show omv list
grep -q "OPENMV_AE3" out.txt && grep -qi "37C5:96E3" out.txt || fail "omv list does not show the OPENMV_AE3 bootloader"
# One --image per partition, as separate arguments.
set -- --image "HP=$hp" --image "HE=$he" --image "ROMFS1=$romfs1" --image "ROMFS0=$romfs0"
show omv --json flash OPENMV_AE3 "$@" --verify --no-reset
[ "$rc" = 0 ] || fail "omv flash failed ($rc): $(grep -m1 error out.txt)"
expect_image "$state/mram.bin" $((0x20000)) "$hp"
expect_image "$state/mram.bin" $((0x320000)) "$he"
expect_image "$state/mram.bin" $((0x47E000)) "$romfs1"
expect_image "$state/ospi.bin" $((0x800000)) "$romfs0"
show omv --json flash OPENMV_AE3 "$@" --no-reset
[ "$rc" = 0 ] || fail "second omv flash failed ($rc)"
grep '"event":"result"' out.txt | grep -q '"written_bytes":0[,}]' ||
  fail "the second flash wrote again: $(grep '"event":"result"' out.txt | head -c 300)"
show omv read OPENMV_AE3 --partition HP -o read-hp.bin
[ "$rc" = 0 ] || fail "omv read failed ($rc)"
mkdir -p /tmp/results && cp read-hp.bin /tmp/results/ae3-omv-read-hp.bin
region read-hp.bin 0 "$(wc -c < "$hp")" > head.bin
same_bytes head.bin "$hp"
show omv erase-fs OPENMV_AE3 --no-reset
[ "$rc" = 0 ] || fail "omv erase-fs failed ($rc)"
expect_fill "$state/ospi.bin" 0 4096 000
note "list, flash --verify of HP/HE/ROMFS1/ROMFS0, re-flash wrote 0 B, read back, erase-fs"
