# The ST system bootloader (BOOT-RST jumper): omv recover restores the OpenMV bootloader; Debian's
# dfu-util does the seed's ":leave" download on another camera; both memories agree; -U reads it.
bl=$(data openmv4-bootloader.bin 30000)
cp "$bl" bootloader.bin
start_camera OPENMV4 /tmp/state/rom-omv --mode rom
wait_usb 0483 df11 || fail "the virtual ST system bootloader did not enumerate"
show omv --json recover OPENMV4 --bootloader bootloader.bin
[ "$rc" = 0 ] || fail "omv recover failed ($rc): $(grep -m1 error out.txt)"
expect_image "$state/internal.bin" 0 bootloader.bin
stop_gadget

start_camera OPENMV4 /tmp/state/rom-dfu-util --mode rom
show dfu-util -w -d ,0483:df11 -a 0 -s 0x08000000:leave -D bootloader.bin
[ "$rc" = 0 ] || fail "dfu-util -a 0 -s 0x08000000:leave -D bootloader.bin failed ($rc)"
stop_gadget
expect_image "$state/internal.bin" 0 bootloader.bin
cmp /tmp/state/rom-omv/internal.bin "$state/internal.bin" ||
  fail "internal.bin differs between omv recover and dfu-util: $(cmp /tmp/state/rom-omv/internal.bin "$state/internal.bin" 2>&1)"

start_camera OPENMV4 /tmp/state/rom-dfu-util --mode rom
show dfu-util -w -d ,0483:df11 -a 0 -s "0x08000000:$(wc -c < bootloader.bin)" -U upload.bin
[ "$rc" = 0 ] || fail "dfu-util -s 0x08000000:N -U failed ($rc)"
same_bytes upload.bin bootloader.bin
note "omv recover and dfu-util -s 0x08000000:leave agree on internal.bin; DfuSe -U reads the bootloader back"
