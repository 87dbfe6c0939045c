# Uses things omv cannot evaluate.
MCU=STM32H743xx
PORT=stm32
include $(TOP_DIR)/common/extra.mk
ifeq ($(DEBUG),1)
OMV_ENABLE_BL=0
endif
OMV_FIRM_ADDR=$(shell echo 0x08040000)
