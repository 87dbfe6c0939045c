# Compiles boards/*.json into the binary so omv works from anywhere; --boards DIR overrides.
file(GLOB OMV_BOARD_FILES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/boards/*.json)
set(OMV_EMBEDDED_BOARDS_CPP ${CMAKE_BINARY_DIR}/generated/embedded_boards.cpp)
add_custom_command(
  OUTPUT ${OMV_EMBEDDED_BOARDS_CPP}
  COMMAND ${CMAKE_COMMAND} -DOUT=${OMV_EMBEDDED_BOARDS_CPP} -DDIR=${CMAKE_SOURCE_DIR}/boards
          -P ${CMAKE_SOURCE_DIR}/cmake/GenerateEmbeddedBoards.cmake
  DEPENDS ${OMV_BOARD_FILES} ${CMAKE_SOURCE_DIR}/cmake/GenerateEmbeddedBoards.cmake
  COMMENT "Embedding board database")
