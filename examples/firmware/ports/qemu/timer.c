#include "timer.h"

#define SYST_CSR (*(volatile uint32_t *) 0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *) 0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *) 0xE000E018u)

static volatile uint32_t ticks_ms;

void timer_init(void)
{
    SYST_RVR = OMV_CPU_FREQ_HZ / 1000u - 1u;
    SYST_CVR = 0;
    SYST_CSR = 0x7u;  // processor clock, interrupt, enable
}

uint32_t timer_ticks_ms(void)
{
    return ticks_ms;
}

void timer_wait_until(uint32_t deadline_ms)
{
    while ((int32_t) (deadline_ms - ticks_ms) > 0) {
        __asm__ volatile ("wfi");
    }
}

void SysTick_Handler(void)
{
    ticks_ms++;
}
