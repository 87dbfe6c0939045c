#include "uart.h"

#include <stdint.h>

#include "board_config.h"

typedef struct {
    volatile uint32_t data;
    volatile uint32_t state;    // bit 0: TX buffer full
    volatile uint32_t ctrl;     // bit 0: TX enable
    volatile uint32_t intstatus;
    volatile uint32_t bauddiv;
} cmsdk_uart_t;

#define UART ((cmsdk_uart_t *) OMV_UART_BASE)

void uart_init(void)
{
    UART->bauddiv = 16;  // the smallest divisor the UART accepts
    UART->ctrl = 1;
}

void uart_write(const char *data, size_t length)
{
    for (size_t i = 0; i < length; i++) {
        while (UART->state & 1u) {
        }
        UART->data = (uint8_t) data[i];
    }
}
