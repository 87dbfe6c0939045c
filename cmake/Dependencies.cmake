# Every dependency is a Debian 12 package (scripts/deps.sh installs them) and a Homebrew formula
# (README, "macOS"), except libdw, which Homebrew has only for Linux.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(fmt REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(CURL REQUIRED)
find_package(ZLIB REQUIRED)
pkg_check_modules(LIBUSB REQUIRED IMPORTED_TARGET libusb-1.0)
# Linux's hidapi comes in two backends (hidraw, libusb); omv uses the libusb one. macOS has one,
# on IOKit, named plain hidapi.
if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
  pkg_check_modules(HIDAPI REQUIRED IMPORTED_TARGET hidapi-libusb)
else()
  pkg_check_modules(HIDAPI REQUIRED IMPORTED_TARGET hidapi)
endif()
pkg_check_modules(SERIALPORT REQUIRED IMPORTED_TARGET libserialport)
pkg_check_modules(LIBARCHIVE REQUIRED IMPORTED_TARGET libarchive)
pkg_check_modules(LIBELF REQUIRED IMPORTED_TARGET libelf)
pkg_check_modules(LIBDW REQUIRED IMPORTED_TARGET libdw)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)

add_library(omv_deps INTERFACE)
add_library(omv::deps ALIAS omv_deps)
target_link_libraries(omv_deps INTERFACE nlohmann_json::nlohmann_json CLI11::CLI11 fmt::fmt
  OpenSSL::Crypto CURL::libcurl PkgConfig::LIBUSB PkgConfig::HIDAPI PkgConfig::SERIALPORT
  PkgConfig::LIBARCHIVE PkgConfig::LIBELF PkgConfig::LIBDW PkgConfig::SQLITE3 ZLIB::ZLIB Threads::Threads util)
# Third-party headers are not ours to keep warning-free.
get_target_property(_inc nlohmann_json::nlohmann_json INTERFACE_INCLUDE_DIRECTORIES)
