# The gadget host presents a tiny DFU device; Debian's dfu-util (libusb) lists its alt settings.
start_gadget omv_realusb_plumbing
wait_usb 1209 0001 || fail "the plumbing device did not enumerate"
show dfu-util -l
for alt in '0, name="RAM"' '1, name="Pattern"'; do
  grep -q "Found DFU: \[1209:0001\] ver=0100, devnum=[0-9]*, cfg=1, intf=0, path=\"1-1\", alt=$alt, serial=\"PLUMB0001\"" out.txt ||
    fail "dfu-util -l does not list alt $alt"
done
note "dfu-util -l lists 1209:0001 alt 0 RAM and alt 1 Pattern, serial PLUMB0001"
