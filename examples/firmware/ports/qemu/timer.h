// A millisecond tick from the core's SysTick timer.
#ifndef TIMER_H
#define TIMER_H

#include <stdint.h>

void timer_init(void);
uint32_t timer_ticks_ms(void);
// Sleeps (WFI) until the tick counter reaches `deadline_ms`.
void timer_wait_until(uint32_t deadline_ms);
void SysTick_Handler(void);

#endif
