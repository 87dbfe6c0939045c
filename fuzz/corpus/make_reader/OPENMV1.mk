# Board configuration and settings.
MCU=STM32F407xx
CPU=cortex-m4
FPU=fpv4-sp-d16
PORT=stm32
OMV_USB_VID=0x1209
OMV_USB_PID=0xABD1
BRACKET = )
$(error "This camera is no longer supported :O Have fun hacking the code $(BRACKET)")
