#include "rtt.h"

#define RTT_UP_SIZE 4096u
#define RTT_DOWN_SIZE 16u

rtt_control_block_t _SEGGER_RTT;

static char up_buffer[RTT_UP_SIZE];
static char down_buffer[RTT_DOWN_SIZE];

void rtt_init(void)
{
    // The block lives in .bss (zero); the ID goes in last and backwards, from a reversed copy,
    // so that neither a half-made block nor this code's string constant ever holds the ID.
    static const char reversed_id[] = "TTR REGGES";
    _SEGGER_RTT.max_up_buffers = 1;
    _SEGGER_RTT.max_down_buffers = 1;
    _SEGGER_RTT.up[0] = (rtt_buffer_t) {"Terminal", up_buffer, RTT_UP_SIZE, 0, 0, 0};
    _SEGGER_RTT.down[0] = (rtt_buffer_t) {"Terminal", down_buffer, RTT_DOWN_SIZE, 0, 0, 0};
    __asm__ volatile ("dmb" ::: "memory");
    for (int i = (int) sizeof reversed_id - 2; i >= 0; i--) {
        _SEGGER_RTT.id[i] = reversed_id[sizeof reversed_id - 2 - (size_t) i];
    }
    __asm__ volatile ("dmb" ::: "memory");
}

size_t rtt_write(const char *data, size_t length)
{
    rtt_buffer_t *up = &_SEGGER_RTT.up[0];
    uint32_t write = up->write_offset;
    const uint32_t read = up->read_offset;
    // One byte always stays free: write == read means empty.
    uint32_t free_bytes = (read > write ? read - write : up->size - write + read) - 1u;
    size_t kept = length < free_bytes ? length : free_bytes;
    for (size_t i = 0; i < kept; i++) {
        up->buffer[write] = data[i];
        write = write + 1u == up->size ? 0u : write + 1u;
    }
    __asm__ volatile ("dmb" ::: "memory");  // the bytes before the offset that publishes them
    up->write_offset = write;
    return kept;
}
