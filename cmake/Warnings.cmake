# Warnings are errors in omv's own scripts and CI (OMV_WERROR=ON), not in a user's or a packager's
# build, which must not fail on a newer compiler's new warning.
option(OMV_WERROR "Treat compiler warnings as errors" OFF)

function(omv_warnings target)
  # The fuzz build uses clang, whose warning set differs; warnings are enforced by the GCC builds.
  if(OMV_WERROR AND NOT OMV_FUZZ)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
    -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual
    -Wconversion -Wsign-conversion -Wno-sign-conversion -Wimplicit-fallthrough
    # GCC 12 at -O2 reports std::string copies as out-of-bounds memcpy (GCC bugs 105329,
    # 105651); the sanitizer builds check the real thing.
    $<$<CXX_COMPILER_ID:GNU>:-Wno-array-bounds -Wno-stringop-overflow -Wno-restrict>)
endfunction()
