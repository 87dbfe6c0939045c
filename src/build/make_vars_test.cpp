#include "build/make_vars.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace omv::build {
namespace {

TEST(MakeVars, EveryOptionHasItsVariable) {
  BuildOptions o;
  o.debug = o.verbose = o.debug_printf = o.profile = o.profile_irq = o.stack_protector = o.fb_alloc_stats = true;
  o.profile_hash = 64;
  o.debugger = "stlink";
  EXPECT_EQ(make_variables("OPENMV4", o),
            (std::vector<std::string>{"TARGET=OPENMV4", "DEBUG=1", "V=1", "DEBUG_PRINTF=1", "PROFILE_ENABLE=1",
                                      "PROFILE_HASH=64", "PROFILE_IRQ=1", "STACK_PROTECTOR=1", "FB_ALLOC_STATS=1",
                                      "DEBUGGER=STLINK"}));
  o.make_args = {"CUBEAI=1"};
  EXPECT_EQ(build_opts_string(o),
            "DEBUG=1 V=1 DEBUG_PRINTF=1 PROFILE_ENABLE=1 PROFILE_HASH=64 PROFILE_IRQ=1 STACK_PROTECTOR=1 FB_ALLOC_STATS=1 "
            "DEBUGGER=STLINK CUBEAI=1");
}

TEST(MakeVars, DefaultsAddNothing) {
  EXPECT_EQ(make_variables("OPENMV4", {}), (std::vector<std::string>{"TARGET=OPENMV4"}));
  EXPECT_EQ(build_opts_string({}), "");
  EXPECT_GE(default_jobs(), 1u);
}

TEST(MakeVars, RefusesWhatMakeWouldMisread) {
  BuildOptions o;
  o.profile_hash = 64;
  EXPECT_THROW(validate(o), Error);  // needs --profile
  o.profile = true;
  EXPECT_NO_THROW(validate(o));
  o.profile_hash = 100;
  EXPECT_THROW(validate(o), Error);  // not a power of two
  o.profile_hash = 256;
  o.debugger = "JLINK; rm -rf /";
  EXPECT_THROW(validate(o), Error);
}

}  // namespace
}  // namespace omv::build
