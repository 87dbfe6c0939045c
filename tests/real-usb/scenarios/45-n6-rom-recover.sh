# The OpenMV N6 with its boot switch on ROM: Debian's dfu-util lists the virtual boot ROM's and
# then ST's OpenBootloader's alt settings with ST's names, and omv recover walks both stages
# through usbcore (ROM → DETACH → OpenBootloader on the same serial → layout, loader, NOR);
# xspi2.bin then holds bootloader.bin at offset 0.
mkdir -p n6 && omv_realusb_plumbing --n6-files n6 || fail "could not write the N6 test files"
start_camera OPENMV_N6 /tmp/state/n6-rom --mode rom
show dfu-util -l -d ,0483:df11
[ "$rc" = 0 ] || fail "dfu-util -l failed ($rc)"
for alt in '@FSBL /0x01/' '@virtual /0xF1/'; do
  grep -qF "name=\"$alt" out.txt || fail "dfu-util -l does not show the ROM's $alt alt: $(grep -m3 Found out.txt)"
done
show omv --json recover OPENMV_N6 --layout n6/FlashLayout.tsv
[ "$rc" = 0 ] || fail "omv recover OPENMV_N6 failed ($rc): $(grep -m1 error out.txt)"
expect_image "$state/xspi2.bin" 0 n6/bootloader.bin
show dfu-util -l -d ,0483:df11
for alt in '@Flashlayout /0x00/' '@FSBL-EXT /0x03/' '@FSBL-APP /0x04/' '@virtual /0xF1/' '@OTP /0xF2/'; do
  grep -qF "name=\"$alt" out.txt || fail "dfu-util -l does not show the OpenBootloader's $alt alt: $(grep -m6 Found out.txt)"
done
stop_gadget
[ "$(enumerations)" -ge 2 ] || fail "the camera did not re-enumerate as the OpenBootloader: $(cat gadget.out)"
note "dfu-util -l shows the ROM's and the OpenBootloader's alts; omv recover wrote bootloader.bin to xspi2 offset 0"
