# `cmake --install` and the .deb: the binary, man pages, completions for bash, zsh and fish, the
# udev rules as a file (packagers ship it; `omv udev install` stays for source builds) and the docs.
include(GNUInstallDirs)

find_program(OMV_HELP2MAN help2man)
find_program(OMV_GZIP gzip)
if(NOT OMV_HELP2MAN)
  message(STATUS "help2man not found: no man pages (apt-get install help2man)")
endif()

set(OMV_GENERATED ${CMAKE_BINARY_DIR}/generated)
add_custom_command(
  OUTPUT ${OMV_GENERATED}/stamp
  COMMAND ${CMAKE_COMMAND} -DOMV=$<TARGET_FILE:omv> -DOUT=${OMV_GENERATED} -DVERSION=${PROJECT_VERSION}
          -DHELP2MAN=${OMV_HELP2MAN} -DGZIP=${OMV_GZIP} -P ${CMAKE_SOURCE_DIR}/cmake/GenerateFiles.cmake
  DEPENDS omv ${CMAKE_SOURCE_DIR}/cmake/GenerateFiles.cmake
  COMMENT "Generating man pages, completions and udev rules from omv")
add_custom_target(omv_generated_files ALL DEPENDS ${OMV_GENERATED}/stamp)

install(TARGETS omv RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${OMV_GENERATED}/completions/omv DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
install(FILES ${OMV_GENERATED}/completions/_omv DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES ${OMV_GENERATED}/completions/omv.fish DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
install(FILES ${OMV_GENERATED}/udev/60-omv.rules DESTINATION lib/udev/rules.d)
if(OMV_HELP2MAN)
  install(DIRECTORY ${OMV_GENERATED}/man/ DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endif()
install(FILES README.md ARCHITECTURE.md LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR})

# The .deb (cpack -G DEB in the build folder). Library dependencies come from dpkg-shlibdeps.
set(OMV_PACKAGE_MAINTAINER "omv developers <omv@example.org>" CACHE STRING "Maintainer field of the .deb")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME omv)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${OMV_PACKAGE_MAINTAINER})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION electronics)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "gdb-multiarch, openocd, qemu-system-arm, git, make")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "build, flash, recover and debug OpenMV cameras")
set(CPACK_PACKAGE_DESCRIPTION
    "One tool for the OpenMV firmware developer loop: it installs the pinned SDK,\n"
    "builds a board, flashes the build through the camera's bootloader (OpenMV DFU,\n"
    "STM32 DfuSe, NXP SDP and MCU bootloader, SAM-BA, PICOBOOT, UF2), erases the\n"
    "filesystem, restores a damaged bootloader and debugs the firmware at source\n"
    "level. It speaks the bootloader protocols itself and includes virtual cameras\n"
    "to try everything without hardware.")
string(JOIN "" CPACK_PACKAGE_DESCRIPTION ${CPACK_PACKAGE_DESCRIPTION})
# What Debian policy wants in every package: the copyright file and a compressed changelog.
set(OMV_DEBIAN_DOCS ${CMAKE_BINARY_DIR}/debian-docs)
configure_file(${CMAKE_SOURCE_DIR}/packaging/changelog.in ${OMV_DEBIAN_DOCS}/changelog @ONLY)
add_custom_command(
  OUTPUT ${OMV_DEBIAN_DOCS}/changelog.gz
  COMMAND ${OMV_GZIP} -9nkf ${OMV_DEBIAN_DOCS}/changelog
  DEPENDS ${OMV_DEBIAN_DOCS}/changelog)
add_custom_target(omv_debian_docs ALL DEPENDS ${OMV_DEBIAN_DOCS}/changelog.gz)
install(FILES ${OMV_DEBIAN_DOCS}/changelog.gz packaging/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})
include(CPack)
