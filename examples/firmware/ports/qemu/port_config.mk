# The qemu port: flags, sources and rules for the emulated Arm boards.

CFLAGS += -std=gnu11 -Wall -Wextra -Werror -mthumb -mcpu=$(CPU) -mfpu=$(FPU) -mfloat-abi=$(FABI) \
          -ffunction-sections -fdata-sections -fno-common -g \
          -DOMV_CPU_FREQ_HZ=$(CPU_FREQ_HZ) -DOMV_TARGET=\"$(TARGET)\" \
          -I$(TOP_DIR)/src -I$(TOP_DIR)/ports/$(PORT) -I$(OMV_BOARD_CONFIG_DIR)

LDFLAGS += -mthumb -mcpu=$(CPU) -mfpu=$(FPU) -mfloat-abi=$(FABI) -nostartfiles --specs=nano.specs \
           -Wl,--gc-sections -Wl,--print-memory-usage -Wl,-T$(BUILD)/firmware.lds \
           -Wl,-Map=$(BUILD)/firmware.map

PORT_SRC_C = startup.c syscalls.c uart.c timer.c
APP_SRC_C = main.c sensor.c rtt.c

OBJ = $(addprefix $(BUILD)/ports/$(PORT)/, $(PORT_SRC_C:.c=.o)) $(addprefix $(BUILD)/src/, $(APP_SRC_C:.c=.o))

all: $(FW_DIR)/$(FIRMWARE).bin
	$(Q)$(SIZE) $(FW_DIR)/$(FIRMWARE).elf

$(BUILD)/ports/$(PORT)/%.o: $(TOP_DIR)/ports/$(PORT)/%.c
	$(ECHO) "CC $(notdir $<)"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/src/%.o: $(TOP_DIR)/src/%.c
	$(ECHO) "CC $(notdir $<)"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

# The linker script is generated from the board's memory map, as upstream's gen_linker does.
$(BUILD)/firmware.lds: $(TOP_DIR)/ports/$(PORT)/qemu.ld.S $(OMV_BOARD_CONFIG_DIR)board_config.h
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CPP) -P -undef -include $(OMV_BOARD_CONFIG_DIR)board_config.h -o $@ $<

$(FW_DIR)/$(FIRMWARE).elf: $(OBJ) $(BUILD)/firmware.lds
	$(ECHO) "LINK $(notdir $@)"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $(OBJ)

$(FW_DIR)/$(FIRMWARE).bin: $(FW_DIR)/$(FIRMWARE).elf
	$(Q)$(OBJCOPY) -O binary $< $@

# Runs the firmware under QEMU with the UART on this terminal (Ctrl-A X quits).
run: $(FW_DIR)/$(FIRMWARE).bin
	qemu-system-arm -machine $(QEMU_MACHINE) -nographic -monitor none \
	    -semihosting-config enable=on,target=native -serial stdio -kernel $(FW_DIR)/$(FIRMWARE).elf

-include $(OBJ:.o=.d)
