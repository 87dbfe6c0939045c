# The cable comes out in the middle of a download: dfu-util fails, the re-run succeeds.
dd if=/dev/urandom of=data.bin bs=1000 count=21 2> /dev/null
start_gadget omv_realusb_plumbing --unplug-after 8192
wait_usb 1209 0001 || fail "the plumbing device did not enumerate"
show dfu-util -d 1209:0001 -a 0 -D data.bin
first=$rc
[ "$first" != 0 ] || fail "dfu-util succeeded although the device left after 8192 bytes"
wait "$gadget_pid"; grc=$?
[ $grc = 3 ] || fail "gadget host did not report the pulled cable (exit $grc)"
wait_gone 1209 0001 || fail "device still on the bus after the unplug"
start_gadget omv_realusb_plumbing
wait_usb 1209 0001 || fail "the plumbing device did not come back"
show dfu-util -d 1209:0001 -a 0 -D data.bin
[ "$rc" = 0 ] || fail "the re-run failed ($rc)"
show dfu-util -d 1209:0001 -a 0 -U back.bin
same_bytes data.bin back.bin
note "unplug after 8192 B: dfu-util exit $first; re-run downloads 21000 B intact"
