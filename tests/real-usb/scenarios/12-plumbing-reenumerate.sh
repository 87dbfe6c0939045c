# DETACH makes the model change identity: the host takes it off the bus and presents the new one.
start_gadget omv_realusb_plumbing
wait_usb 1209 0001 || fail "the plumbing device did not enumerate"
show dfu-util -d 1209:0001 -a 0 -e
wait_usb 1209 0002 || fail "no re-enumeration as 1209:0002 after DETACH"
wait_gone 1209 0001 || fail "1209:0001 is still on the bus after DETACH"
show dfu-util -l
grep -q 'Found DFU: \[1209:0002\]' out.txt || fail "dfu-util -l does not see 1209:0002"
stop_gadget
grep -q '"plugs":2' gadget.out || fail "the gadget host did not plug twice: $(cat gadget.out)"
note "DETACH re-enumerated 1209:0001 as 1209:0002 (2 plugs)"
