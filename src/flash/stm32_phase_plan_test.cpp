#include "flash/stm32_phase_plan.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>

#include "boards/board_db.h"
#include "core/error.h"
#include "image/file_io.h"
#include "image/stm32_test_images.h"

namespace omv::flash::stm32_phase_plan_test {
namespace {

namespace fs = std::filesystem;

struct Files {
  fs::path dir;
  Files() {
    std::string t = (fs::temp_directory_path() / "omv-n6-plan-XXXXXX").string();
    dir = mkdtemp(t.data());
    image::write_file(dir / "ob.stm32", test_data::test_openbl_stm32());
    image::write_file(dir / "extfl.bin", test_data::test_extfl_loader());
    auto bl = image::make_stm32_v23(test_data::pattern(100000, 9), 0x34180401);
    image::write_file(dir / "bootloader.bin", bl);
    layout(openmv_n6_layout("ob.stm32", "extfl.bin", "bootloader.bin"));
  }
  ~Files() { fs::remove_all(dir); }
  void layout(const std::string& text) const { std::ofstream(dir / "FlashLayout.tsv") << text; }
  PhasePlanInputs inputs() const { return {dir / "FlashLayout.tsv", {}, {}, {}}; }
};

const boards::Board& n6() {
  static boards::BoardDb db = boards::BoardDb::built_in();
  return db.get("OPENMV_N6");
}

std::pair<ErrorKind, std::string> error_of(const PhasePlanInputs& in) {
  try {
    make_phase_plan(n6(), in);
  } catch (const Error& e) {
    return {e.kind(), e.what()};
  }
  return {ErrorKind::failure, ""};
}

TEST(Stm32PhasePlan, OpenmvLayoutBecomesThreeCheckedImagesAndOneBlob) {
  Files f;
  auto plan = make_phase_plan(n6(), f.inputs());
  ASSERT_EQ(plan.images.size(), 3u);
  EXPECT_EQ(plan.images[0].role, "fsbl");
  ASSERT_TRUE(plan.images[0].header);
  EXPECT_EQ(plan.images[0].target, 0x34180000u);
  EXPECT_EQ(plan.images[1].role, "loader");
  EXPECT_EQ(plan.images[1].target, 0x38000000u);
  EXPECT_EQ(plan.images[2].role, "nor");
  EXPECT_EQ(plan.images[2].target, 0u);
  EXPECT_TRUE(plan.warnings.empty());
  image::Stm32Header h;
  ASSERT_TRUE(image::parse_stm32_v1(image::ByteView(plan.layout_blob, {"blob", "layout"}), h));
  const std::string tsv(plan.layout_blob.begin() + 256, plan.layout_blob.end());
  EXPECT_EQ(tsv, plan.layout.normalised_tsv());
  EXPECT_EQ(tsv.find('#'), std::string::npos);
}

TEST(Stm32PhasePlan, BootloaderOptionReplacesTheNorFileAsTheIdeDoes) {
  Files f;
  auto other = image::make_stm32_v23(test_data::pattern(5000, 77), 0x34180401);
  image::write_file(f.dir / "mine.bin", other);
  auto in = f.inputs();
  in.bootloader = f.dir / "mine.bin";
  auto plan = make_phase_plan(n6(), in);
  EXPECT_EQ(plan.images[2].bytes, other);
}

TEST(Stm32PhasePlan, RefusesBeforeAnythingIsSent) {
  Files f;
  auto bad_fsbl = test_data::test_openbl_stm32();
  bad_fsbl[0x500] ^= 1;
  image::write_file(f.dir / "ob.stm32", bad_fsbl);
  auto [kind, msg] = error_of(f.inputs());
  EXPECT_EQ(kind, ErrorKind::bad_file);
  EXPECT_NE(msg.find("ob.stm32: STM32 image: offset 100 (0x64): checksum"), std::string::npos) << msg;

  image::write_file(f.dir / "ob.stm32", image::make_stm32_v23(test_data::pattern(600 * 1024, 1), 0x34180401));
  std::tie(kind, msg) = error_of(f.inputs());
  EXPECT_NE(msg.find("over the 512 KiB"), std::string::npos) << msg;

  image::write_file(f.dir / "ob.stm32", test_data::test_openbl_stm32());
  auto loader = test_data::test_extfl_loader();
  image::store_le32(&loader[8], 0x24000001);  // SectorErase outside the loader RAM
  image::write_file(f.dir / "extfl.bin", loader);
  std::tie(kind, msg) = error_of(f.inputs());
  EXPECT_NE(msg.find("offset 8 (0x00000008): SectorErase points to 0x24000001"), std::string::npos) << msg;

  image::write_file(f.dir / "extfl.bin", test_data::test_extfl_loader());
  image::write_file(f.dir / "bootloader.bin", test_data::pattern(0x80001, 3));
  std::tie(kind, msg) = error_of(f.inputs());
  EXPECT_EQ(kind, ErrorKind::refused);
  EXPECT_NE(msg.find("from BOOTLOADER into FIRMWARE"), std::string::npos) << msg;

  fs::remove(f.dir / "bootloader.bin");
  std::tie(kind, msg) = error_of(f.inputs());
  EXPECT_EQ(kind, ErrorKind::usage);
  EXPECT_NE(msg.find("bootloader.bin does not exist"), std::string::npos) << msg;
}

TEST(Stm32PhasePlan, LayoutShapesItCannotSend) {
  Files f;
  f.layout("P\t0x4\tfsbl-app\tBinary\tnor0\t0x0\tbootloader.bin\n");
  auto [kind, msg] = error_of(f.inputs());
  EXPECT_NE(msg.find("first partition line must be the FSBL"), std::string::npos) << msg;
  std::string long_layout = openmv_n6_layout("ob.stm32", "extfl.bin", "bootloader.bin");
  for (int i = 0; i < 30; ++i)
    long_layout += fmt::format("-\t0x{:X}\tspare-{}\tBinary\tnor0\t0x{:X}\n", 0x10 + i, i, 0x100000 * (i + 1));
  f.layout(long_layout);
  // Unselected lines stay out of the blob: 256 + the three lines (34 + 33 + 37 bytes).
  EXPECT_EQ(make_phase_plan(n6(), f.inputs()).layout_blob.size(), 256u + 104u);
  std::string wide = openmv_n6_layout("ob.stm32", "extfl.bin", "bootloader.bin");
  for (int i = 0; i < 20; ++i)
    wide += fmt::format("P\t0x{:X}\tpartition-{}\tBinary\tnor0\t0x{:X}\tbootloader.bin\n", 0x10 + i, i, 0x1000000 + 0x20000 * i);
  f.layout(wide);
  std::tie(kind, msg) = error_of(f.inputs());
  EXPECT_EQ(kind, ErrorKind::refused);
  EXPECT_NE(msg.find("takes at most 1024"), std::string::npos) << msg;
  f.layout("P\t0x1\tfsbl-openbl\tBinary\tnone\t0x0\tob.stm32\nP\t0x4\tapp\tBinary\tmmc0\t0x0\tbootloader.bin\n");
  std::tie(kind, msg) = error_of(f.inputs());
  EXPECT_NE(msg.find("writes only its external NOR"), std::string::npos) << msg;
}

TEST(Stm32PhasePlan, WithoutALayoutItNeedsBothStFiles) {
  Files f;
  PhasePlanInputs in;
  in.bootloader = f.dir / "bootloader.bin";
  in.openbl = f.dir / "ob.stm32";
  auto [kind, msg] = error_of(in);
  EXPECT_EQ(kind, ErrorKind::usage);
  EXPECT_NE(msg.find("ST's two helper files"), std::string::npos);
  in.extfl = f.dir / "extfl.bin";
  auto plan = make_phase_plan(n6(), in);
  EXPECT_EQ(plan.images.size(), 3u);
  EXPECT_EQ(plan.images[2].file, f.dir / "bootloader.bin");
}

}  // namespace
}  // namespace omv::flash::stm32_phase_plan_test
