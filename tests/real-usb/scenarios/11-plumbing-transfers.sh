# Control transfers both ways in 4096-byte blocks: download to alt 0, upload it back, upload alt 1.
start_gadget omv_realusb_plumbing
wait_usb 1209 0001 || fail "the plumbing device did not enumerate"
dd if=/dev/urandom of=data.bin bs=1000 count=21 2> /dev/null
show dfu-util -d 1209:0001 -a 0 -D data.bin
[ "$rc" = 0 ] || fail "dfu-util -D failed ($rc)"
show dfu-util -d 1209:0001 -a 0 -U back.bin
[ "$rc" = 0 ] || fail "dfu-util -U alt 0 failed ($rc)"
same_bytes data.bin back.bin
show dfu-util -d 1209:0001 -a 1 -U pattern.bin
[ "$rc" = 0 ] || fail "dfu-util -U alt 1 failed ($rc)"
omv_realusb_plumbing --pattern > expected.bin
same_bytes expected.bin pattern.bin
note "21000 B down and back identical, 10000 B pattern upload identical"
