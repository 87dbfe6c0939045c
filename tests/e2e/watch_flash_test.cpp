// omv flash --watch: a real omv process watching a sim bus while virtual cameras are started
// (plugged in) one after another, one of them dropping off the bus mid-write; a camera of
// another board; Ctrl-C with a camera in progress; the production log of the session.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <random>
#include <set>
#include <thread>

#include "discovery_support.h"

namespace omv::test::watch_flash_test {
namespace {

constexpr size_t kFirmwareOffset = 0x40000;  // OPENMV4 FIRMWARE partition in internal.bin

std::string random_image(size_t size, unsigned seed) {
  std::mt19937 rng(seed);
  std::string image(size, '\0');
  for (auto& c : image) c = static_cast<char>(rng() & 0xFF);
  return image;
}

// `omv ...` in the background, its stdout (JSON lines) and stderr going to files.
class Watcher {
 public:
  Watcher(const std::vector<std::string>& args, const std::filesystem::path& dir) : out_(dir / "watch.out"), err_(dir / "watch.err") {
    pid_ = fork();
    if (pid_ == 0) {
      const int in = open("/dev/null", O_RDONLY);
      const int out = open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int err = open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(in, 0);
      dup2(out, 1);
      dup2(err, 2);
      setenv("NO_COLOR", "1", 1);
      std::vector<std::string> argv{OMV_BINARY};
      argv.insert(argv.end(), args.begin(), args.end());
      std::vector<char*> cargs;
      for (auto& a : argv) cargs.push_back(a.data());
      cargs.push_back(nullptr);
      execv(cargs[0], cargs.data());
      _exit(127);
    }
  }
  ~Watcher() {
    if (pid_ > 0 && !status_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  std::vector<nlohmann::json> events() const {
    std::vector<nlohmann::json> out;
    const std::string text = read_file(out_);
    size_t start = 0;
    while (start < text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string::npos) break;  // a line still being written
      auto j = nlohmann::json::parse(text.substr(start, end - start), nullptr, false);
      if (!j.is_discarded()) out.push_back(j);
      start = end + 1;
    }
    return out;
  }
  // Events whose data carries `key` (with `value`, when given).
  std::vector<nlohmann::json> with(const std::string& key, const std::string& value = {}) const {
    std::vector<nlohmann::json> out;
    for (const auto& e : events())
      if (e.contains("data") && e["data"].is_object() && e["data"].contains(key) &&
          (value.empty() || (e["data"][key].is_string() && e["data"][key] == value)))
        out.push_back(e);
    return out;
  }
  // Waits (bounded) until `count` events carry `key`.
  bool await(const std::string& key, size_t count, std::chrono::seconds limit = std::chrono::seconds(60)) const {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      if (with(key).size() >= count) return true;
      if (exited()) return with(key).size() >= count;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }
  bool exited() const {
    if (status_) return true;
    int st = 0;
    if (waitpid(pid_, &st, WNOHANG) != pid_) return false;
    status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return true;
  }
  // The exit code, waiting at most `limit` (then -1).
  int wait(std::chrono::seconds limit = std::chrono::seconds(60)) const {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      if (exited()) return *status_;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return -1;
  }
  void signal(int sig) const { kill(pid_, sig); }
  nlohmann::json result() const {
    for (const auto& e : events())
      if (e.value("event", "") == "result") return e;
    return {};
  }
  std::string err() const { return read_file(err_); }
  std::string out() const { return read_file(out_); }

 private:
  std::filesystem::path out_, err_;
  pid_t pid_ = -1;
  mutable std::optional<int> status_;
};

void start_camera(const SimBus& bus, const std::string& serial, bool app, const std::vector<std::string>& extra = {},
                  const std::string& target = "OPENMV4", const std::string& time_scale = "0") {
  std::filesystem::create_directories(bus.camera(serial));
  std::vector<std::string> args{"sim", "start", target, "--bus", bus.path(), "--serial", serial, "--time-scale", time_scale};
  if (app) args.push_back("--app");
  args.insert(args.end(), extra.begin(), extra.end());
  auto r = omv(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

std::string firmware_of(const SimBus& bus, const std::string& serial, size_t size) {
  const std::string flash = bus.memory(serial, "internal");
  return flash.size() >= kFirmwareOffset + size ? flash.substr(kFirmwareOffset, size) : std::string();
}

TEST(WatchFlash, EightStaggeredCamerasOneUnpluggedMidWriteThenReplugged) {
  SimBus bus;
  TempDir work;
  const std::string image = random_image(192 * 1024, 21);
  write_file(work / "firmware.bin", image);
  const auto db = (work / "line.sqlite3").string();

  // Nine attempts: the eight cameras, and W5 again once it is plugged back in.
  Watcher watch({"--sim", bus.path(), "flash", "OPENMV4", "--watch", "--firmware", (work / "firmware.bin").string(),
                 "--max", "9", "--again", "--json", "--log", db},
                work.path());
  ASSERT_TRUE(watch.await("watching", 1, std::chrono::seconds(20))) << watch.err();

  // A camera of another board on the same bus, running its firmware: listed once, never touched.
  start_camera(bus, "OTHER", true, {}, "OPENMV4P");
  const std::string other_before = bus.memory("OTHER", "internal");

  // Plugged in 0.3 s apart, in both modes; W5's bootloader drops off the bus 64 KiB into the write.
  std::vector<std::string> serials;
  for (int i = 1; i <= 8; ++i) {
    const std::string serial = "W" + std::to_string(i);
    serials.push_back(serial);
    if (i == 5)
      start_camera(bus, serial, false, {"--fault", "disconnect@64K"});
    else
      start_camera(bus, serial, i % 2 == 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
  ASSERT_TRUE(watch.await("row_result", 8)) << watch.out() << watch.err();
  const auto first = watch.with("row_result");
  std::map<std::string, std::string> row_of;
  for (const auto& e : first) row_of[e["source"]] = e["data"]["row_result"];
  for (const auto& serial : serials) EXPECT_EQ(row_of[serial], serial == "W5" ? "failed" : "flashed") << serial;

  // Unplugging W5 and plugging it back in (its process stopped and started again, its flash file
  // kept) is a new arrival with --again.
  bus.stop("W5");
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  start_camera(bus, "W5", false);
  EXPECT_EQ(watch.wait(), 0) << watch.out() << watch.err();

  // Each camera flashed exactly once: its firmware partition holds the image, and its flash was
  // programmed with the image's bytes once (the counters span the camera's mode changes).
  for (const auto& serial : serials) {
    EXPECT_EQ(firmware_of(bus, serial, image.size()), image) << serial;
    EXPECT_EQ(bus.stats(serial)["bytes_programmed"], image.size()) << serial;
  }
  EXPECT_EQ(bus.memory("OTHER", "internal"), other_before);
  EXPECT_EQ(bus.stats("OTHER")["bytes_programmed"], 0);
  EXPECT_EQ(watch.with("arrived").size(), 9u) << watch.out();
  std::vector<nlohmann::json> ignored;
  for (const auto& e : watch.with("ignored"))
    if (e.value("event", "") == "warning") ignored.push_back(e);
  ASSERT_EQ(ignored.size(), 1u) << watch.out();
  EXPECT_EQ(ignored[0]["data"]["ignored"], "OTHER");

  // The summary: eight flashed (W5 on its second attempt), W5's first attempt failed with its reason.
  const auto result = watch.result();
  ASSERT_TRUE(result.is_object()) << watch.out();
  EXPECT_EQ(result["data"]["flashed"], 8);
  EXPECT_EQ(result["data"]["failed"], 1);
  EXPECT_EQ(result["data"]["ignored"].size(), 1u);
  ASSERT_EQ(result["data"]["cameras"].size(), 9u);
  size_t w5_failed = 0;
  std::map<std::string, int> attempts;
  for (const auto& cam : result["data"]["cameras"]) {
    attempts[cam["camera"]]++;
    if (cam["camera"] == "W5" && !cam["ok"].get<bool>()) {
      ++w5_failed;
      EXPECT_EQ(cam["kind"], "no_device") << cam;
      EXPECT_NE(cam["message"].get<std::string>().find("vanished"), std::string::npos) << cam;
    }
  }
  EXPECT_EQ(w5_failed, 1u);
  for (const auto& serial : serials) EXPECT_EQ(attempts[serial], serial == "W5" ? 2 : 1) << serial;

  // The production log: a row per attempt, as omv flash --log writes them.
  auto log = omv({"log", "--json", "--log", db});
  ASSERT_EQ(log.exit_code, 0) << log.err;
  const auto rows = nlohmann::json::parse(log.out, nullptr, false);
  ASSERT_TRUE(rows.is_array()) << log.out;
  ASSERT_EQ(rows.size(), 9u) << rows.dump(1);
  size_t failed_rows = 0;
  for (const auto& row : rows) {
    EXPECT_EQ(row["board"], "OPENMV4");
    if (row["result"] == "failed") {
      ++failed_rows;
      EXPECT_EQ(row["serial"], "W5");
      EXPECT_EQ(row["error"]["kind"], "no_device") << row;
    } else {
      EXPECT_EQ(row["bytes_written"], image.size()) << row;
    }
  }
  EXPECT_EQ(failed_rows, 1u);
}

TEST(WatchFlash, CtrlCFinishesTheCameraInProgressAndStartsNoOther) {
  SimBus bus;
  TempDir work;
  const std::string image = random_image(256 * 1024, 22);
  write_file(work / "firmware.bin", image);
  Watcher watch({"--sim", bus.path(), "flash", "OPENMV4", "--watch", "--firmware", (work / "firmware.bin").string(),
                 "--json"},
                work.path());
  ASSERT_TRUE(watch.await("watching", 1, std::chrono::seconds(20))) << watch.err();
  // At real speed the STM32H7's sector erases alone take seconds.
  start_camera(bus, "SLOW", false, {}, "OPENMV4", "1");
  ASSERT_TRUE(watch.await("arrived", 1)) << watch.out() << watch.err();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  watch.signal(SIGINT);
  start_camera(bus, "LATE", false);
  const std::string late_before = bus.memory("LATE", "internal");
  EXPECT_EQ(watch.wait(), 0) << watch.out() << watch.err();

  EXPECT_EQ(firmware_of(bus, "SLOW", image.size()), image);
  EXPECT_EQ(bus.memory("LATE", "internal"), late_before);
  const auto result = watch.result();
  ASSERT_TRUE(result.is_object()) << watch.out();
  EXPECT_EQ(result["data"]["interrupted"], true);
  EXPECT_EQ(result["data"]["flashed"], 1);
  ASSERT_EQ(result["data"]["cameras"].size(), 1u);
  EXPECT_EQ(result["data"]["cameras"][0]["camera"], "SLOW");
}

// Without --again, a camera plugged in again after its flash is reported once and left alone.
TEST(WatchFlash, AReplugWithoutAgainIsNotFlashedAgain) {
  SimBus bus;
  TempDir work;
  const std::string image = random_image(64 * 1024, 25);
  write_file(work / "firmware.bin", image);
  Watcher watch({"--sim", bus.path(), "flash", "OPENMV4", "--watch", "--firmware", (work / "firmware.bin").string(),
                 "--json"},
                work.path());
  ASSERT_TRUE(watch.await("watching", 1, std::chrono::seconds(20))) << watch.err();
  start_camera(bus, "ONCE", true);
  ASSERT_TRUE(watch.await("row_result", 1)) << watch.out() << watch.err();
  ASSERT_TRUE(bus.wait_mode("ONCE", "app", std::chrono::seconds(10)));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  bus.stop("ONCE");
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  start_camera(bus, "ONCE", true);
  ASSERT_TRUE(watch.await("replugged", 1, std::chrono::seconds(20))) << watch.out() << watch.err();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  watch.signal(SIGINT);
  EXPECT_EQ(watch.wait(), 0) << watch.out() << watch.err();
  EXPECT_EQ(watch.with("arrived").size(), 1u) << watch.out();
  EXPECT_EQ(watch.with("replugged").size(), 1u) << watch.out();
  EXPECT_EQ(bus.stats("ONCE")["bytes_programmed"], 0);  // the camera's new process: not written
  EXPECT_EQ(firmware_of(bus, "ONCE", image.size()), image);
  EXPECT_EQ(watch.result()["data"]["cameras"].size(), 1u);
}

// Two listings of one serial number in two places at once (a second camera record on the bus
// copying the first one's identity): both refused, named, neither flashed.
TEST(WatchFlash, OneSerialOnTwoPortsIsRefusedOnBoth) {
  SimBus bus;
  TempDir work;
  write_file(work / "firmware.bin", random_image(64 * 1024, 24));
  start_camera(bus, "DUP", false);
  const std::string before = bus.memory("DUP", "internal");
  write_file(work / "device.json", read_file(bus.camera("DUP") / "device.json"));
  std::filesystem::create_directories(bus.camera("DUP-TWIN"));
  std::filesystem::rename(work / "device.json", bus.camera("DUP-TWIN") / "device.json");
  Watcher watch({"--sim", bus.path(), "flash", "OPENMV4", "--watch", "--firmware", (work / "firmware.bin").string(),
                 "--json"},
                work.path());
  ASSERT_TRUE(watch.await("refused", 1, std::chrono::seconds(20))) << watch.out() << watch.err();
  watch.signal(SIGINT);
  EXPECT_EQ(watch.wait(), 16) << watch.out() << watch.err();
  const auto refused = watch.with("refused", "DUP");
  ASSERT_FALSE(refused.empty()) << watch.out();
  const std::string message = refused.front()["message"];
  EXPECT_NE(message.find(bus.camera("DUP").string()), std::string::npos) << message;
  EXPECT_NE(message.find(bus.camera("DUP-TWIN").string()), std::string::npos) << message;
  EXPECT_TRUE(watch.with("arrived").empty()) << watch.out();
  EXPECT_EQ(bus.memory("DUP", "internal"), before);
}

TEST(WatchFlash, AFailedCameraIsExitCode16AndCtrlCBeforeAnyIs130) {
  SimBus bus;
  TempDir work;
  write_file(work / "firmware.bin", random_image(128 * 1024, 23));
  start_camera(bus, "BAD", false, {"--fault", "err_write@32K"});
  {
    Watcher watch({"--sim", bus.path(), "flash", "OPENMV4", "--watch", "--firmware", (work / "firmware.bin").string(),
                   "--max", "1", "--json"},
                  work.path());
    EXPECT_EQ(watch.wait(), 16) << watch.out() << watch.err();
    const auto result = watch.result();
    ASSERT_TRUE(result.is_object()) << watch.out();
    EXPECT_EQ(result["data"]["failed"], 1);
    EXPECT_NE(result["message"].get<std::string>().find("BAD"), std::string::npos) << result;
  }
  bus.stop("BAD");
  Watcher idle({"--sim", bus.path(), "flash", "OPENMV4", "--watch", "--firmware", (work / "firmware.bin").string(),
                "--json"},
               work.path());
  ASSERT_TRUE(idle.await("watching", 1, std::chrono::seconds(20))) << idle.err();
  idle.signal(SIGINT);
  EXPECT_EQ(idle.wait(), 130) << idle.out() << idle.err();
}

}  // namespace
}  // namespace omv::test::watch_flash_test
