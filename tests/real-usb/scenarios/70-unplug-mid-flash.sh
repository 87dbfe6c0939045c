# The camera drops off the bus in the middle of a flash: first a power cycle after 130 KiB (it
# comes back by itself), then the port is detached for good after 100 KiB (the gadget host
# exits). Each time omv stops with "vanished" (exit 5) and, once the camera is back on the bus, a
# re-run completes the flash.
fw=$(data openmv4-firmware.bin 300000)
start_camera OPENMV4 /tmp/state/unplug --fault disconnect@130K
wait_usb 37c5 9204 || fail "the virtual OPENMV4 did not enumerate"
show omv flash OPENMV4 --firmware "$fw" --no-reset
[ "$rc" = 5 ] || fail "omv flash exited $rc, not 5 (device vanished)"
grep -q "vanished" out.txt || fail "no 'vanished' in the error: $(grep -m1 error out.txt)"
wait_usb 37c5 9204 || fail "the camera did not come back after its power cycle"
show omv flash OPENMV4 --firmware "$fw" --no-reset
[ "$rc" = 0 ] || fail "the re-run failed ($rc)"
expect_image "$state/internal.bin" $((0x40000)) "$fw"
expect_fill "$state/internal.bin" 0 $((0x40000)) 377
stop_gadget

rm -rf /tmp/state/unplug2
start_camera OPENMV4 /tmp/state/unplug2 --unplug-after 100K
show omv flash OPENMV4 --firmware "$fw" --no-reset
[ "$rc" = 5 ] || fail "omv flash exited $rc after the port was detached, not 5"
grep -q "vanished" out.txt || fail "no 'vanished' in the error: $(grep -m1 error out.txt)"
wait "$gadget_pid"
wait_gone 37c5 9204 || fail "the camera is still on the bus"
expect_fill "$state/internal.bin" 0 $((0x40000)) 377
start_camera OPENMV4 /tmp/state/unplug2
show omv flash OPENMV4 --firmware "$fw" --no-reset
[ "$rc" = 0 ] || fail "the re-run after re-plugging failed ($rc)"
expect_image "$state/internal.bin" $((0x40000)) "$fw"
note "power cycle and detached port mid-flash: exit 5 'vanished' both times, nothing outside FIRMWARE; re-runs wrote it"
