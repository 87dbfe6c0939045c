/* Linker script template: board_config.h is included before this file is preprocessed. */
MEMORY
{
    FLASH (rx)  : ORIGIN = OMV_FLASH_TXT_ORIGIN, LENGTH = OMV_FLASH_TXT_LENGTH
    RAM   (rwx) : ORIGIN = OMV_RAM_ORIGIN,       LENGTH = OMV_RAM_LENGTH
}

ENTRY(Reset_Handler)

SECTIONS
{
    .isr_vector :
    {
        KEEP(*(.isr_vector))
    } > FLASH

    .text :
    {
        *(.text*)
        *(.rodata*)
        . = ALIGN(4);
    } > FLASH

    .ARM.exidx :
    {
        *(.ARM.exidx*)
    } > FLASH

    _sidata = LOADADDR(.data);

    .data :
    {
        . = ALIGN(4);
        _sdata = .;
        *(.data*)
        . = ALIGN(4);
        _edata = .;
    } > RAM AT > FLASH

    .bss (NOLOAD) :
    {
        . = ALIGN(4);
        _sbss = .;
        *(.bss*)
        *(COMMON)
        . = ALIGN(4);
        _ebss = .;
    } > RAM

    .heap (NOLOAD) :
    {
        . = ALIGN(8);
        _heap_start = .;
        . = . + OMV_HEAP_SIZE;
        _heap_end = .;
    } > RAM

    _estack = ORIGIN(RAM) + LENGTH(RAM);
    _sstack = _estack - OMV_STACK_SIZE;
    ASSERT(_heap_end <= _sstack, "RAM overflow: data, bss and heap run into the stack")
}
