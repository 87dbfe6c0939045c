#include "debug/camera_image.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>

#include "core/error.h"

namespace omv::debug {
namespace fs = std::filesystem;
namespace {

struct Bus {
  fs::path dir;
  Bus() {
    char tmpl[] = "/tmp/omv-camera-test-XXXXXX";
    dir = mkdtemp(tmpl);
  }
  ~Bus() { fs::remove_all(dir); }
  void camera(const std::string& serial, const std::string& target, const std::string& memory, std::vector<uint8_t> bytes) {
    fs::create_directories(dir / serial);
    std::ofstream(dir / serial / (memory + ".bin"), std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!target.empty()) std::ofstream(dir / serial / "device.json") << R"({"target": ")" << target << R"("})";
  }
};

boards::Board board() {
  boards::Board b;
  b.target = "MPS2_AN500";
  boards::Memory m;
  m.name = "code";
  m.base = 0;
  m.size = 4096;
  b.memories.push_back(m);
  return b;
}

ElfInfo elf_with(uint64_t address, std::vector<uint8_t> bytes) {
  ElfInfo e;
  LoadSegment s;
  s.paddr = address;
  s.data = std::move(bytes);
  e.segments.push_back(s);
  return e;
}

ErrorKind kind_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.kind();
  }
  return ErrorKind::failure;
}

}  // namespace

TEST(CameraImage, FindsTheBoardsCamera) {
  Bus bus;
  bus.camera("A1", "MPS2_AN500", "code", std::vector<uint8_t>(4096, 0xFF));
  bus.camera("B2", "OPENMV4", "internal", {1, 2, 3});
  auto cam = find_virtual_camera(board(), bus.dir, "");
  EXPECT_EQ(cam.serial, "A1");
  ASSERT_EQ(cam.memories.size(), 1u);
  EXPECT_EQ(cam.memories[0].cpu_address, 0u);
  EXPECT_EQ(cam.memories[0].size, 4096u);
  EXPECT_EQ(find_virtual_camera(board(), bus.dir, "A1").serial, "A1");
  EXPECT_EQ(kind_of([&] { find_virtual_camera(board(), bus.dir, "B2"); }), ErrorKind::no_device);
  bus.camera("C3", "", "code", std::vector<uint8_t>(4096, 0xFF));
  EXPECT_EQ(kind_of([&] { find_virtual_camera(board(), bus.dir, ""); }), ErrorKind::no_device);  // two: pick one
  EXPECT_EQ(find_virtual_camera(board(), bus.dir, "C3").serial, "C3");
  EXPECT_EQ(kind_of([&] { find_virtual_camera(board(), bus.dir / "nope", ""); }), ErrorKind::no_device);
}

TEST(CameraImage, ComparesTheElfWithTheFlashedBytes) {
  Bus bus;
  std::vector<uint8_t> flash(4096, 0xFF);
  for (int i = 0; i < 16; ++i) flash[0x100 + static_cast<size_t>(i)] = static_cast<uint8_t>(i);
  bus.camera("A1", "MPS2_AN500", "code", flash);
  auto cam = find_virtual_camera(board(), bus.dir, "");

  std::vector<uint8_t> same(16);
  for (int i = 0; i < 16; ++i) same[static_cast<size_t>(i)] = static_cast<uint8_t>(i);
  auto r = compare_with_camera(elf_with(0x100, same), cam);
  EXPECT_TRUE(r.matches());
  EXPECT_EQ(r.compared, 16u);

  auto other = same;
  other[5] = 0xAA;
  other[9] = 0xBB;
  r = compare_with_camera(elf_with(0x100, other), cam);
  EXPECT_FALSE(r.matches());
  EXPECT_EQ(r.differing, 2u);
  EXPECT_EQ(r.first_difference, 0x105u);
  EXPECT_FALSE(r.camera_erased);

  r = compare_with_camera(elf_with(0x800, same), cam);
  EXPECT_TRUE(r.camera_erased);

  r = compare_with_camera(elf_with(0xFF8, same), cam);  // half past the end of the memory
  EXPECT_EQ(r.compared, 8u);
  EXPECT_EQ(r.outside, 8u);

  r = compare_with_camera(elf_with(0x20000000, same), cam);
  EXPECT_EQ(r.compared, 0u);
  EXPECT_EQ(r.outside, 16u);
}

}  // namespace omv::debug
