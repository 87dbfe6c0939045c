// omv's demo firmware: a fake camera sensor produces frames, main counts them and reports each
// one on the UART and in an RTT up-buffer (`omv rtt` reads it without stopping the core). Small enough to read in one go, real enough to debug: a timer interrupt
// paces the frames, a global counter changes every frame, locals live in registers.
#include <stdint.h>
#include <stdio.h>

#include "board_config.h"
#include "rtt.h"
#include "sensor.h"
#include "timer.h"
#include "uart.h"

// Frames seen since reset. Try `watch frame_count` in the debugger.
volatile uint32_t frame_count;

static sensor_t sensor;

int main(void)
{
    rtt_init();
    uart_init();
    timer_init();
    printf("omv demo firmware on %s (%s)\n", OMV_BOARD_NAME, OMV_TARGET);

    sensor_init(&sensor);
    for (;;) {
        const frame_t *frame = sensor_snapshot(&sensor);  // @snapshot
        uint32_t brightness = frame_mean(frame);          // @mean
        frame_count++;                                    // @count
        printf("frame %lu: %ux%u, mean brightness %lu, at %lu ms\n", (unsigned long) frame_count,
               frame->width, frame->height, (unsigned long) brightness, (unsigned long) frame->timestamp_ms);
    }
}
