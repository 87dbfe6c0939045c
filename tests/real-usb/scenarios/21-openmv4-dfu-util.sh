# Debian's dfu-util runs the seed's OPENMV4 commands against a fresh virtual OPENMV4: firmware to
# alt 2, ROMFS to alt 3 with --reset, the filesystem-erase trick on alt 1, and an upload.
# With --reset, dfu-util 0.11 exits 251 when the camera already left the bootloader on DETACH
# (see reset_done in lib.sh); the camera must have re-enumerated.
fw=$(data openmv4-firmware.bin 300000)
romfs=$(data openmv4-romfs0.img 40000)
erase=$(zeros erase.bin 4096)
cp "$fw" firmware.bin
cp "$romfs" romfs0.img
start_camera OPENMV4 /tmp/state/openmv4-dfu-util
show dfu-util -w -d ,37C5:9204 -a 2 -D firmware.bin
[ "$rc" = 0 ] || fail "dfu-util -a 2 -D firmware.bin failed ($rc)"
show dfu-util -w -d ,37C5:9204 -a 3 --reset -D romfs0.img
reset_done || fail "dfu-util -a 3 --reset -D romfs0.img failed ($rc)"
# After --reset the camera runs its firmware; back into the bootloader for the next command.
stop_gadget
[ "$(enumerations)" -ge 2 ] || fail "the camera did not leave the bootloader after --reset: $(cat gadget.out)"
start_camera OPENMV4 /tmp/state/openmv4-dfu-util
show dfu-util -w -d ,37C5:9204 -a 1 --reset -D "$erase"
reset_done || fail "dfu-util -a 1 --reset -D erase.bin failed ($rc)"
stop_gadget
[ "$(enumerations)" -ge 2 ] || fail "the camera did not leave the bootloader after --reset: $(cat gadget.out)"
start_camera OPENMV4 /tmp/state/openmv4-dfu-util
show dfu-util -w -d ,37C5:9204 -a 2 -U upload-firmware.bin
[ "$rc" = 0 ] || fail "dfu-util -a 2 -U failed ($rc)"
mkdir -p /tmp/results && cp upload-firmware.bin /tmp/results/openmv4-dfu-util-upload-firmware.bin
expect_image "$state/internal.bin" $((0x40000)) "$fw"
expect_image "$state/internal.bin" $((0x1E0000)) "$romfs"
expect_fill "$state/internal.bin" $((0x20000)) 4096 000
note "-a 2 -D firmware.bin, -a 3 --reset -D romfs0.img, -a 1 --reset -D erase.bin, -a 2 -U: memory as expected"
