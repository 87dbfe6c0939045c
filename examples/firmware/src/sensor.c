#include "sensor.h"

#include "timer.h"

void sensor_init(sensor_t *sensor)
{
    sensor->frames_captured = 0;
    sensor->frame_interval_ms = 1000u / SENSOR_FPS;
    sensor->next_frame_ms = timer_ticks_ms() + sensor->frame_interval_ms;
    sensor->frame.width = SENSOR_WIDTH;
    sensor->frame.height = SENSOR_HEIGHT;
    sensor->frame.sequence = 0;
}

const frame_t *sensor_snapshot(sensor_t *sensor)
{
    timer_wait_until(sensor->next_frame_ms);
    sensor->next_frame_ms += sensor->frame_interval_ms;

    frame_t *frame = &sensor->frame;
    uint32_t shift = sensor->frames_captured;
    for (uint32_t y = 0; y < frame->height; y++) {
        for (uint32_t x = 0; x < frame->width; x++) {
            frame->pixels[y * frame->width + x] = (uint8_t) ((x + y + shift) * 4u);
        }
    }
    frame->sequence = ++sensor->frames_captured;
    frame->timestamp_ms = timer_ticks_ms();
    return frame;
}

uint32_t frame_mean(const frame_t *frame)
{
    uint32_t sum = 0;
    uint32_t count = (uint32_t) frame->width * frame->height;
    for (uint32_t i = 0; i < count; i++) {
        sum += frame->pixels[i];
    }
    return sum / count;
}
