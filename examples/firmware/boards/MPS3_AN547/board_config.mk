# Arm MPS3 AN547 (Cortex-M55), run under QEMU's mps3-an547 machine.
# Upstream builds this board for Arm's FVP and sets DEBUGGER=NONE; this demo runs it under QEMU.
PORT = qemu
CPU = cortex-m55
FPU = fpv5-d16
FABI = hard
CPU_FREQ_HZ = 32000000
QEMU_MACHINE = mps3-an547

# The firmware runs from ITCM at address 0, where the core boots.
OMV_FIRM_BASE = 0x00000000
OMV_FIRM_ADDR = 0x00000000

DEBUGGER = QEMU
OMV_QEMU_ARGS = --machine $(QEMU_MACHINE)
