// A SEGGER RTT control block in the layout SEGGER documents, so that any RTT host (omv rtt,
// J-Link, OpenOCD, pyOCD, probe-rs) finds and reads it: what the firmware writes to stdout also
// goes to up-buffer 0 ("Terminal"), which a debug probe reads while the core runs.
#ifndef OMV_DEMO_RTT_H
#define OMV_DEMO_RTT_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char *name;
    char *buffer;
    uint32_t size;
    volatile uint32_t write_offset;  // written by the target (up) / the host (down)
    volatile uint32_t read_offset;   // written by the host (up) / the target (down)
    uint32_t flags;                  // bits 1:0: 0 = drop what does not fit
} rtt_buffer_t;

typedef struct {
    char id[16];  // "SEGGER RTT", written last so a host never sees a half-made block
    int32_t max_up_buffers;
    int32_t max_down_buffers;
    rtt_buffer_t up[1];
    rtt_buffer_t down[1];
} rtt_control_block_t;

extern rtt_control_block_t _SEGGER_RTT;

void rtt_init(void);
// Copies what fits into up-buffer 0 and drops the rest (never blocks); returns the bytes kept.
size_t rtt_write(const char *data, size_t length);

#endif
