# A device node the user cannot open: omv lists the camera, says why it cannot use it, and gives
# the udev fix; with access granted the same command works.
fw=$(data openmv4-firmware.bin 300000)
start_camera OPENMV4 /tmp/state/permission
wait_usb 37c5 9204 || fail "the virtual OPENMV4 did not enumerate"
node=$(devnode 37c5 9204)
chmod 0600 "$node"
ls -l "$node"
show as_user omv flash OPENMV4 --firmware "$fw" --no-reset
[ "$rc" = 7 ] || fail "omv flash as a user without access exited $rc, not 7 (permission)"
grep -q "udev" out.txt || fail "no udev hint: $(grep -m2 -e error -e hint out.txt)"
show as_user omv list
grep -q "OPENMV4" out.txt || fail "omv list as the user does not show the camera it cannot open"
chmod 0666 "$node"
show as_user omv flash OPENMV4 --firmware "$fw" --no-reset
[ "$rc" = 0 ] || fail "omv flash with access granted failed ($rc)"
expect_image "$state/internal.bin" $((0x40000)) "$fw"
note "no access: exit 7 with the udev hint; access granted: the flash works"
