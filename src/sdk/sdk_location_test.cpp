#include "sdk/sdk_location.h"

#include <gtest/gtest.h>

#include "sdk/sha256.h"

namespace omv::sdk {
namespace {

TEST(SdkLocation, TarballNameAndUrlAsTheMakefileBuildsThem) {
  Host linux_host{"linux", "x86_64"};
  EXPECT_EQ(tarball_name("1.6.0", linux_host), "openmv-sdk-1.6.0-linux-x86_64.tar.xz");
  EXPECT_EQ(tarball_url(default_base_url, "1.6.0", linux_host),
            "https://download.openmv.io/sdk/openmv-sdk-1.6.0-linux-x86_64.tar.xz");
  EXPECT_EQ(tarball_url("http://127.0.0.1:8000/sdk/", "1.6.0", {"darwin", "arm64"}),
            "http://127.0.0.1:8000/sdk/openmv-sdk-1.6.0-darwin-arm64.tar.xz");
}

TEST(SdkLocation, PathDirsInTheMakefilesOrder) {
  auto dirs = path_dirs("/h/openmv-sdk-1.6.0", {"linux", "x86_64"});
  ASSERT_EQ(dirs.size(), 8u);
  EXPECT_EQ(dirs[0], "/h/openmv-sdk-1.6.0/gcc/bin");
  EXPECT_EQ(dirs[1], "/h/openmv-sdk-1.6.0/llvm/bin");
  EXPECT_EQ(dirs[5], "/h/openmv-sdk-1.6.0/stedgeai/Utilities/linux");
  EXPECT_EQ(dirs[7], "/h/openmv-sdk-1.6.0/make");
  EXPECT_EQ(path_dirs("/s", {"darwin", "arm64"})[5], "/s/stedgeai/Utilities/macarm");
  EXPECT_EQ(prepend_path({"/a", "/b"}, "/usr/bin"), "/a:/b:/usr/bin");
  EXPECT_EQ(prepend_path({"/a"}, ""), "/a");
}

TEST(SdkLocation, SystemToolchainMarker) {
  EXPECT_TRUE(is_system_toolchain("system"));
  EXPECT_TRUE(is_system_toolchain(" System (Debian arm-none-eabi-gcc)\n"));
  EXPECT_FALSE(is_system_toolchain("1.6.0"));
}

TEST(Sha256, KnownVectorsAndFileFormat) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Sha256 h;
  h.update("a", 1);
  h.update("bc", 2);
  EXPECT_EQ(h.hex_digest(), sha256_hex("abc"));
  const std::string hex = "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD";
  EXPECT_EQ(parse_sha256_file(hex + "  openmv-sdk-1.6.0-linux-x86_64.tar.xz\n"), sha256_hex("abc"));
  EXPECT_EQ(parse_sha256_file(hex), sha256_hex("abc"));
  EXPECT_FALSE(parse_sha256_file("<html>404</html>"));
  EXPECT_FALSE(parse_sha256_file(""));
  EXPECT_FALSE(normalise_sha256(std::string(63, 'a')));
  EXPECT_FALSE(normalise_sha256(std::string(64, 'g')));
}

}  // namespace
}  // namespace omv::sdk
