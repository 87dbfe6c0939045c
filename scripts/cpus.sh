#!/bin/sh
# The number of online CPUs, on Linux, macOS and the BSDs (nproc is GNU coreutils only).
getconf _NPROCESSORS_ONLN 2>/dev/null || sysctl -n hw.ncpu 2>/dev/null || echo 2
