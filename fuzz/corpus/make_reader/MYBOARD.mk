# A board that only exists in this checkout.
MCU=STM32H750xx
CPU=cortex-m7
PORT=stm32
OMV_USB_VID=0x37C5
OMV_USB_PID=0x12FF
OMV_JLINK_ARGS=--device STM32H750VB
