// A fake image sensor: it delivers a small greyscale frame at a fixed frame rate, a gradient
// that moves one pixel per frame, as a real sensor would deliver frames on each VSYNC.
#ifndef SENSOR_H
#define SENSOR_H

#include <stdint.h>

#define SENSOR_WIDTH   32
#define SENSOR_HEIGHT  24
#define SENSOR_FPS     20

typedef struct {
    uint16_t width;
    uint16_t height;
    uint32_t sequence;      // frame number since the sensor started
    uint32_t timestamp_ms;  // when the frame was captured
    uint8_t pixels[SENSOR_WIDTH * SENSOR_HEIGHT];
} frame_t;

typedef struct {
    uint32_t frames_captured;
    uint32_t next_frame_ms;
    uint32_t frame_interval_ms;
    frame_t frame;
} sensor_t;

void sensor_init(sensor_t *sensor);
// Waits for the next frame and returns it (valid until the next snapshot).
const frame_t *sensor_snapshot(sensor_t *sensor);
// Mean brightness of a frame, 0..255.
uint32_t frame_mean(const frame_t *frame);

#endif
