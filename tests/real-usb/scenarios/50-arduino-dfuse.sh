# An Arduino DfuSe bootloader (Portenta H7): omv flash and dfu-util's address download agree.
fw=$(data portenta-firmware.bin 200000)
cp "$fw" firmware.bin
start_camera ARDUINO_PORTENTA_H7 /tmp/state/portenta-omv
wait_usb 2341 035b || fail "the virtual Portenta bootloader did not enumerate"
show omv --json flash ARDUINO_PORTENTA_H7 --firmware firmware.bin --verify --no-reset
[ "$rc" = 0 ] || fail "omv flash failed ($rc): $(grep -m1 error out.txt)"
expect_image "$state/internal.bin" $((0x40000)) firmware.bin
stop_gadget
start_camera ARDUINO_PORTENTA_H7 /tmp/state/portenta-dfu-util
show dfu-util -w -d ,2341:035b -a 0 -s 0x08040000:leave -D firmware.bin
[ "$rc" = 0 ] || fail "dfu-util -a 0 -s 0x08040000:leave -D firmware.bin failed ($rc)"
stop_gadget
for m in internal qspi; do
  cmp /tmp/state/portenta-omv/$m.bin /tmp/state/portenta-dfu-util/$m.bin ||
    fail "$m.bin differs between omv and dfu-util: $(cmp /tmp/state/portenta-omv/$m.bin /tmp/state/portenta-dfu-util/$m.bin 2>&1)"
done
note "omv flash --verify and dfu-util -s 0x08040000:leave agree on internal.bin and qspi.bin"
