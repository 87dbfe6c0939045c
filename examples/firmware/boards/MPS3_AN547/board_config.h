// Memory map and peripherals of the MPS3 AN547 as QEMU's mps3-an547 models it.
#ifndef BOARD_CONFIG_H
#define BOARD_CONFIG_H

#define OMV_BOARD_NAME          "MPS3 AN547 (Cortex-M55)"

// FIRMWARE partition of the "itcm" memory (boards/MPS3_AN547.json in omv).
#define OMV_FLASH_TXT_ORIGIN    0x00000000
#define OMV_FLASH_TXT_LENGTH    0x00060000

// DTCM.
#define OMV_RAM_ORIGIN          0x20000000
#define OMV_RAM_LENGTH          0x00080000

#define OMV_STACK_SIZE          0x00004000
#define OMV_HEAP_SIZE           0x00010000

// CMSDK APB UART0 (non-secure alias; the core runs secure with the SAU off, which may use it).
#define OMV_UART_BASE           0x49303000

#endif
