# Arm MPS2 AN500 (Cortex-M7), run under QEMU's mps2-an500 machine.
PORT = qemu
CPU = cortex-m7
FPU = fpv5-d16
FABI = hard
CPU_FREQ_HZ = 25000000
QEMU_MACHINE = mps2-an500

# The firmware runs from the "code" memory (ZBT SSRAM1) at address 0, where the core boots.
OMV_FIRM_BASE = 0x00000000
OMV_FIRM_ADDR = 0x00000000

# How `make debug` and `omv debug` reach it.
DEBUGGER = QEMU
OMV_QEMU_ARGS = --machine $(QEMU_MACHINE)
