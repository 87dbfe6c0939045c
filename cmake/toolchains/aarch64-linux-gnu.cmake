# Linux arm64 (Raspberry Pi class hosts) from Debian's cross compiler, g++-aarch64-linux-gnu, with
# the dependencies installed as multiarch :arm64 packages (scripts/cross-arm64.sh installs both).
# Test programs run through qemu-aarch64 in user mode; binfmt is not needed.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
# Multiarch: libraries and their CMake and pkg-config files under /usr/lib/aarch64-linux-gnu,
# headers shared in /usr/include (arch-specific ones in /usr/include/aarch64-linux-gnu).
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64 -L /usr/aarch64-linux-gnu)
