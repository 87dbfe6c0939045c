// Identification, merging across transports, selection and the waiting logic, with in-memory
// buses.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "core/error.h"
#include "discovery/bootloader.h"
#include "discovery/fleet.h"
#include "discovery/scan.h"
#include "discovery/select.h"

namespace omv::discovery {
namespace {

UsbId id(const char* text) { return *parse_usb_id(text); }

class FakeUsbBus : public transport::UsbBus {
 public:
  std::vector<transport::UsbDeviceInfo> devices;
  std::vector<transport::UsbDeviceInfo> enumerate() override { return devices; }
  std::unique_ptr<transport::UsbDevice> open(const transport::UsbDeviceInfo&) override {
    fail(ErrorKind::unsupported, "fake");
  }
  std::optional<transport::UsbDeviceInfo> wait_for(const transport::UsbMatch&, transport::Millis) override {
    return std::nullopt;
  }
};

class FakeHidBus : public transport::HidBus {
 public:
  std::vector<transport::HidDeviceInfo> devices;
  std::vector<transport::HidDeviceInfo> enumerate() override { return devices; }
  std::unique_ptr<transport::HidDevice> open(const transport::HidDeviceInfo&) override {
    fail(ErrorKind::unsupported, "fake");
  }
  std::optional<transport::HidDeviceInfo> wait_for(const std::function<bool(const transport::HidDeviceInfo&)>&,
                                                   transport::Millis) override {
    return std::nullopt;
  }
};

transport::UsbDeviceInfo usb(const char* vidpid, const char* serial, const char* bus_port) {
  transport::UsbDeviceInfo d;
  d.id = id(vidpid);
  d.serial = serial;
  d.bus_port = bus_port;
  d.backend_path = std::string("usb:") + bus_port;
  return d;
}

struct Rig {
  boards::BoardDb db = boards::BoardDb::built_in();
  IdentityTable table{db};
  Sources sources;
  FakeUsbBus* usb_bus;
  FakeHidBus* hid_bus;
  std::vector<transport::SerialPortInfo> ports;
  Rig() {
    auto u = std::make_unique<FakeUsbBus>();
    auto h = std::make_unique<FakeHidBus>();
    usb_bus = u.get();
    hid_bus = h.get();
    sources.usb = std::move(u);
    sources.hid = std::move(h);
    sources.serial_ports = [this] { return ports; };
  }
  void add_port(const char* path, const char* vidpid, const char* serial, const char* bus_port) {
    transport::SerialPortInfo p;
    p.path = path;
    p.usb = id(vidpid);
    p.serial = serial;
    p.bus_port = bus_port;
    ports.push_back(p);
  }
  const boards::Board& board(const char* t) { return db.get(t); }
};

TEST(Identify, ModesFromBoardData) {
  boards::BoardDb db = boards::BoardDb::built_in();
  IdentityTable table(db);
  auto h7 = table.lookup(id("37C5:1204"));
  ASSERT_EQ(h7.size(), 1u);
  EXPECT_EQ(h7[0].board->target, "OPENMV4");
  EXPECT_EQ(h7[0].kind, ModeKind::running);
  auto rom = table.lookup(id("0483:DF11"));
  EXPECT_GE(rom.size(), 5u);
  for (const auto& c : rom) EXPECT_EQ(c.kind, c.mode == "openbl" ? ModeKind::flashloader : ModeKind::rom);
  EXPECT_EQ(table.lookup(id("2E8A:0003")).front().kind, ModeKind::bootloader);
  EXPECT_EQ(table.lookup(id("15A2:0073")).front().kind, ModeKind::flashloader);
  EXPECT_EQ(table.lookup(id("0403:6015")).front().kind, ModeKind::isp);
  EXPECT_TRUE(table.lookup(id("1D6B:0002")).empty());
  EXPECT_EQ(flash_modes(db.get("OPENMV4")), std::vector<std::string>{"bootloader"});
  auto rt = flash_modes(db.get("OPENMV_RT1060"));
  EXPECT_EQ(rt.size(), 2u);  // rom and flashloader
}

TEST(Identify, ProductStringsSortOutTheStm32RomsThatShare0483DF11) {
  boards::BoardDb db = boards::BoardDb::built_in();
  IdentityTable table(db);
  auto all = table.lookup(id("0483:DF11"));
  auto targets = [](const std::vector<Candidate>& c) {
    std::vector<std::string> out;
    for (const auto& x : c) out.push_back(x.board->target + ":" + x.mode);
    return out;
  };
  EXPECT_EQ(targets(refine_by_product(all, "DFU in HS mode @Device ID /0x486, @Revision ID /0x0100")),
            std::vector<std::string>{"OPENMV_N6:rom"});
  auto obl = refine_by_product(all, "STM32OpenBootloader DFU@Device ID /0x486, @Revision ID /0x1000");
  EXPECT_EQ(targets(obl), std::vector<std::string>{"OPENMV_N6:openbl"});
  EXPECT_EQ(obl.front().kind, ModeKind::flashloader);
  // An H7's system bootloader names no chip: every STM32 camera but the N6.
  auto h7 = targets(refine_by_product(all, "DFU in FS Mode"));
  EXPECT_EQ(std::count(h7.begin(), h7.end(), "OPENMV4:rom"), 1);
  EXPECT_EQ(std::count_if(h7.begin(), h7.end(), [](const std::string& t) { return t.rfind("OPENMV_N6", 0) == 0; }), 0);
  EXPECT_EQ(h7.size(), all.size() - 2);
}

TEST(Scan, MergesTheUsbDeviceAndItsSerialPort) {
  Rig rig;
  rig.usb_bus->devices = {usb("37C5:1204", "AAA", "1-1"), usb("37C5:9204", "BBB", "1-2"), usb("1D6B:0002", "", "1")};
  rig.add_port("/dev/ttyACM0", "37C5:1204", "AAA", "1-1");
  auto devices = scan(rig.table, rig.sources);
  ASSERT_EQ(devices.size(), 2u);
  const Device* app = nullptr;
  for (const auto& d : devices)
    if (d.kind() == ModeKind::running) app = &d;
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->port, "/dev/ttyACM0");
  EXPECT_TRUE(app->usb);
  EXPECT_EQ(app->location(), "/dev/ttyACM0");
  auto j = to_json(*app);
  EXPECT_EQ(j["board"], "OPENMV4");
  EXPECT_EQ(j["mode"], "app");
  EXPECT_EQ(j["usb_id"], "37C5:1204");
  EXPECT_EQ(j["bus_port"], "1-1");
}

TEST(Scan, SharedIdsListEveryCandidateAndInaccessibleDevicesSayWhy) {
  Rig rig;
  auto rom = usb("0483:DF11", "ROM1", "2-1");
  rom.accessible = false;
  rom.access_error = "permission denied (EACCES)";
  rig.usb_bus->devices = {rom};
  transport::HidDeviceInfo sdp;
  sdp.id = id("1FC9:0135");
  sdp.path = "hid:1";
  sdp.bus_port = "3-1";
  rig.hid_bus->devices = {sdp};
  auto devices = scan(rig.table, rig.sources);
  ASSERT_EQ(devices.size(), 2u);
  for (const auto& d : devices) {
    if (d.id == id("0483:DF11")) {
      EXPECT_FALSE(d.accessible);
      EXPECT_NE(d.problem.find("EACCES"), std::string::npos);
      EXPECT_FALSE(d.fix.empty());
      EXPECT_GT(d.targets().size(), 3u);
      EXPECT_TRUE(to_json(d)["board"].is_null());
    } else {
      EXPECT_EQ(d.targets(), std::vector<std::string>{"OPENMV_RT1060"});
      EXPECT_TRUE(d.hid);
      EXPECT_EQ(d.kind(), ModeKind::rom);
    }
  }
}

TEST(Select, TwoCamerasWithoutSerialListsBoth) {
  Rig rig;
  rig.usb_bus->devices = {usb("37C5:1204", "AAA", "1-1"), usb("37C5:9204", "BBB", "1-2")};
  rig.add_port("/dev/ttyACM0", "37C5:1204", "AAA", "1-1");
  auto devices = scan(rig.table, rig.sources);
  try {
    select_one(devices, rig.board("OPENMV4"), "");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::usage);
    EXPECT_NE(std::string(e.what()).find("AAA"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("BBB"), std::string::npos);
    EXPECT_NE(e.hint().find("--serial"), std::string::npos);
  }
  EXPECT_EQ(select_one(devices, rig.board("OPENMV4"), "bbb").serial, "BBB");
  EXPECT_EQ(select_all(devices, rig.board("OPENMV4"), "").size(), 2u);
  try {
    select_one(devices, rig.board("OPENMV4"), "CCC");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::no_device);
  }
}

TEST(Select, RomModeIsNotAFlashTargetAndSaysSo) {
  Rig rig;
  rig.usb_bus->devices = {usb("0483:DF11", "ROM1", "2-1")};
  auto devices = scan(rig.table, rig.sources);
  try {
    select_one(devices, rig.board("OPENMV4"), "");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::no_device);
    EXPECT_NE(e.hint().find("ROM"), std::string::npos);
  }
}

TEST(SameCamera, SerialFirstThenBusPort) {
  Device a, b;
  a.serial = "abc";
  b.serial = "ABC";
  EXPECT_TRUE(same_camera(a, b));
  b.serial = "XYZ";
  a.bus_port = b.bus_port = "1-1";
  EXPECT_FALSE(same_camera(a, b));  // both report a serial: the serial decides
  b.serial.clear();
  EXPECT_TRUE(same_camera(a, b));
  b.bus_port = "1-2";
  EXPECT_FALSE(same_camera(a, b));
}

TEST(Bootloader, AlreadyThereIsUsedAtOnce) {
  Rig rig;
  rig.usb_bus->devices = {usb("37C5:9204", "BBB", "1-2")};
  RecordingSink sink;
  Reporter reporter(sink);
  auto r = find_or_enter_bootloader(rig.board("OPENMV4"), rig.sources, rig.table, {}, reporter);
  EXPECT_FALSE(r.entered);
  EXPECT_EQ(r.device.serial, "BBB");
  EXPECT_TRUE(sink.events().empty());
  EXPECT_FALSE(enter_running_camera(rig.board("OPENMV4"), rig.sources, rig.table, {}, reporter));
}

TEST(Fleet, OneFailureDoesNotStopTheOthers) {
  std::vector<Device> cams(3);
  cams[0].serial = "A";
  cams[1].serial = "B";
  cams[2].serial = "C";
  RecordingSink sink;
  auto outcomes = run_fleet(cams, [](const Device& d, Reporter& r) -> nlohmann::json {
    r.info("working");
    if (d.serial == "B") fail(ErrorKind::verify_failed, "read-back differs at 0x08040000");
    return {{"summary", "flashed"}};
  }, sink);
  ASSERT_EQ(outcomes.size(), 3u);
  EXPECT_TRUE(outcomes[0].ok);
  EXPECT_FALSE(outcomes[1].ok);
  EXPECT_EQ(outcomes[1].kind, ErrorKind::verify_failed);
  EXPECT_TRUE(outcomes[2].ok);
  const auto table = fleet_table(outcomes);
  EXPECT_NE(table.find("FAILED (verify_failed)"), std::string::npos);
  Reporter reporter(sink);
  try {
    report_fleet(outcomes, "flash", reporter);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::partial);
    EXPECT_NE(std::string(e.what()).find("1 of 3"), std::string::npos);
  }
  bool tagged = false;
  for (const auto& e : sink.events())
    if (e.source == "B" && e.type == Event::Type::error) tagged = true;
  EXPECT_TRUE(tagged);
}

}  // namespace
}  // namespace omv::discovery
