// Memory map and peripherals of the MPS2 AN500 as QEMU's mps2-an500 models it.
#ifndef BOARD_CONFIG_H
#define BOARD_CONFIG_H

#define OMV_BOARD_NAME          "MPS2 AN500 (Cortex-M7)"

// FIRMWARE partition of the "code" memory (boards/MPS2_AN500.json in omv).
#define OMV_FLASH_TXT_ORIGIN    0x00000000
#define OMV_FLASH_TXT_LENGTH    0x00300000

// ZBT SSRAM2/3.
#define OMV_RAM_ORIGIN          0x20000000
#define OMV_RAM_LENGTH          0x00400000

#define OMV_STACK_SIZE          0x00004000
#define OMV_HEAP_SIZE           0x00010000

// CMSDK APB UART0.
#define OMV_UART_BASE           0x40004000

#endif
