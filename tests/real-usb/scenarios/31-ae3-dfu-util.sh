# Debian's dfu-util runs the seed's OPENMV_AE3 commands: alts 1, 2, 3, then 6 with --reset, the
# filesystem erase on alt 5, and an upload of alt 1.
# With --reset, dfu-util 0.11 exits 251 when the camera already left the bootloader on DETACH
# (see reset_done in lib.sh); the camera must have re-enumerated.
hp=$(data ae3-hp.bin 200000)
he=$(data ae3-he.bin 100000)
romfs1=$(data ae3-romfs1.img 30000)
romfs0=$(data ae3-romfs0.img 50000)
erase=$(zeros erase.bin 4096)
cp "$hp" firmware_M55_HP.bin
cp "$he" firmware_M55_HE.bin
cp "$romfs1" romfs1.img
cp "$romfs0" romfs0.img
start_camera OPENMV_AE3 /tmp/state/ae3-dfu-util
for step in "1 firmware_M55_HP.bin" "2 firmware_M55_HE.bin" "3 romfs1.img"; do
  # shellcheck disable=SC2086  # "ALT FILE": split into $1 and $2
  set -- $step
  show dfu-util -w -d ,37C5:96E3 -a "$1" -D "$2"
  [ "$rc" = 0 ] || fail "dfu-util -a $1 -D $2 failed ($rc)"
done
show dfu-util -w -d ,37C5:96E3 -a 6 --reset -D romfs0.img
reset_done || fail "dfu-util -a 6 --reset -D romfs0.img failed ($rc)"
stop_gadget
[ "$(enumerations)" -ge 2 ] || fail "the camera did not leave the bootloader after --reset: $(cat gadget.out)"
start_camera OPENMV_AE3 /tmp/state/ae3-dfu-util
show dfu-util -w -d ,37C5:96E3 -a 5 --reset -D "$erase"
reset_done || fail "dfu-util -a 5 --reset -D erase.bin failed ($rc)"
stop_gadget
[ "$(enumerations)" -ge 2 ] || fail "the camera did not leave the bootloader after --reset: $(cat gadget.out)"
start_camera OPENMV_AE3 /tmp/state/ae3-dfu-util
show dfu-util -w -d ,37C5:96E3 -a 1 -U upload-hp.bin
[ "$rc" = 0 ] || fail "dfu-util -a 1 -U failed ($rc)"
mkdir -p /tmp/results && cp upload-hp.bin /tmp/results/ae3-dfu-util-upload-hp.bin
expect_image "$state/mram.bin" $((0x20000)) "$hp"
expect_image "$state/mram.bin" $((0x320000)) "$he"
expect_image "$state/mram.bin" $((0x47E000)) "$romfs1"
expect_image "$state/ospi.bin" $((0x800000)) "$romfs0"
expect_fill "$state/ospi.bin" 0 4096 000
note "-a 1/2/3 -D, -a 6 --reset -D romfs0.img, -a 5 --reset -D erase.bin, -a 1 -U: memory as expected"
