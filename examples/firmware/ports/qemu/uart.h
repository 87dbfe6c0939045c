// The board's CMSDK APB UART: newlib's stdout ends up here (see syscalls.c).
#ifndef UART_H
#define UART_H

#include <stddef.h>

void uart_init(void);
void uart_write(const char *data, size_t length);

#endif
