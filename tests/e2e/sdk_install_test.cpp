// `omv sdk install|status|env|path` against a real HTTP server on 127.0.0.1 serving SDK tarballs
// generated here in the real layout, including every way an install can go wrong.
#include <gtest/gtest.h>
#include <sys/mount.h>

#include <nlohmann/json.hpp>

#include "core/text.h"
#include "support/run.h"
#include "support/sdk_fixture.h"

namespace omv::test::sdk_install_test {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

class SdkInstall : public ::testing::Test {
 protected:
  TempDir tmp;
  fs::path home = tmp / "home";
  fs::path served = tmp / "srv";
  fs::path work = tmp / "work";
  std::string version = "9.8.7";

  void SetUp() override {
    fs::create_directories(home);
    fs::create_directories(served / "sdk");
    fs::create_directories(work);
  }
  RunOptions opts(std::map<std::string, std::string> extra = {}) const {
    RunOptions o;
    o.cwd = tmp.path();
    o.env = {{"HOME", home.string()}, {"SDK_DIR", ""}};
    for (auto& [k, v] : extra) o.env[k] = v;
    return o;
  }
  fs::path tarball() const { return served / "sdk" / tarball_name(version); }
  fs::path sdk_dir() const { return home / ("openmv-sdk-" + version); }
  fs::path publish(size_t payload = 64 * 1024, bool random = false) {
    auto top = make_sdk_tree(work / "tree", version, payload, random);
    make_tarball(top, tarball());
    return top;
  }
  RunResult install(const HttpServer& server, std::vector<std::string> extra = {},
                    std::map<std::string, std::string> env = {}) const {
    std::vector<std::string> args{"sdk", "install", "--version", version, "--base-url", server.url("/sdk")};
    args.insert(args.end(), extra.begin(), extra.end());
    return omv(args, opts(env));
  }
  std::vector<json> tarball_requests(const HttpServer& server) const {
    std::vector<json> out;
    for (auto& r : server.requests())
      if (r["path"].get<std::string>().find(".tar.xz") != std::string::npos &&
          r["path"].get<std::string>().find(".sha256") == std::string::npos)
        out.push_back(r);
    return out;
  }
  void expect_nothing_installed(const fs::path& parent) const {
    EXPECT_TRUE(installed_looking(parent).empty()) << installed_looking(parent).front();
    EXPECT_TRUE(work_folders(parent).empty()) << work_folders(parent).front();
  }
};

json last_json_line(const std::string& out) {
  std::istringstream in(out);
  json last;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) last = json::parse(line);
  return last;
}

TEST_F(SdkInstall, InstallsAndTheToolchainRuns) {
  auto top = publish();
  HttpServer server(served, work);
  auto r = install(server, {"--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_EQ(read_file(sdk_dir() / "sdk.version"), version + "\n");
  EXPECT_EQ(read_file(sdk_dir() / "lib/data0.bin"), read_file(top / "lib/data0.bin"));
  EXPECT_TRUE(fs::is_symlink(sdk_dir() / "toolchain"));
  auto gcc = run({(sdk_dir() / "gcc/bin/arm-none-eabi-gcc").string(), "-dumpversion"});
  EXPECT_EQ(gcc.exit_code, 0) << gcc.err;
  EXPECT_FALSE(gcc.out.empty());
  auto result = last_json_line(r.out);
  EXPECT_EQ(result["event"], "result");
  EXPECT_EQ(result["data"]["sha256"], sdk::sha256_hex(read_file(tarball())));
  EXPECT_EQ(result["data"]["already_installed"], false);
  EXPECT_TRUE(work_folders(home).empty());
  EXPECT_FALSE(fs::exists(home / ("." + tarball_name(version) + ".part")));
  // The tarball was fetched once, in one request, with its checksum.
  EXPECT_EQ(tarball_requests(server).size(), 1u);
}

TEST_F(SdkInstall, SecondRunIsIdempotentAndOffline) {
  publish();
  HttpServer server(served, work);
  ASSERT_EQ(install(server).exit_code, 0);
  auto before = server.requests().size();
  auto again = install(server);
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("already installed"), std::string::npos) << again.err;
  EXPECT_EQ(server.requests().size(), before);
}

TEST_F(SdkInstall, StatusEnvAndPath) {
  publish();
  HttpServer server(served, work);
  auto missing = omv({"sdk", "status", "--version", version, "--json"}, opts());
  ASSERT_EQ(missing.exit_code, 0) << missing.err;
  auto m = json::parse(missing.out);
  EXPECT_EQ(m["ok"], false);
  EXPECT_EQ(m["installed"], nullptr);
  EXPECT_NE(m["problem"].get<std::string>().find("not found"), std::string::npos);
  auto no_path = omv({"sdk", "path", "--version", version}, opts());
  EXPECT_EQ(no_path.exit_code, 13);
  EXPECT_NE(no_path.err.find("omv sdk install"), std::string::npos) << no_path.err;

  ASSERT_EQ(install(server).exit_code, 0);
  auto st = json::parse(omv({"sdk", "status", "--version", version, "--json"}, opts()).out);
  EXPECT_EQ(st["ok"], true);
  EXPECT_EQ(st["installed"], version);
  EXPECT_EQ(st["dir"], sdk_dir().string());

  auto env = omv({"sdk", "env", "--version", version}, opts());
  ASSERT_EQ(env.exit_code, 0) << env.err;
  EXPECT_NE(env.out.find("export SDK_DIR=\"" + sdk_dir().string() + "\""), std::string::npos) << env.out;
  EXPECT_NE(env.out.find("export PATH=\"" + (sdk_dir() / "gcc/bin").string() + ":" + (sdk_dir() / "llvm/bin").string()),
            std::string::npos)
      << env.out;
  for (const char* dir : {"cmake/bin", "python/bin", "stcubeprog/bin", "stedgeai/Utilities/", "/bin:", "/make:$PATH"})
    EXPECT_NE(env.out.find(dir), std::string::npos) << dir;
  // The exports work in a real shell.
  auto sh = run({"sh", "-c", env.out + "\ncommand -v arm-none-eabi-gcc"});
  EXPECT_EQ(sh.out, (sdk_dir() / "gcc/bin/arm-none-eabi-gcc").string() + "\n");

  auto path = omv({"sdk", "path", "--version", version}, opts());
  EXPECT_EQ(path.exit_code, 0);
  EXPECT_EQ(path.out, sdk_dir().string() + "\n");
}

TEST_F(SdkInstall, StatusGivesTheMakefilesMismatchAdvice) {
  write_file(home / "openmv-sdk-1.0.0/sdk.version", "1.0.0\n");
  auto r = omv({"sdk", "status", "--version", version}, opts());
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("OpenMV SDK version mismatch (installed: 1.0.0, required: 9.8.7)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("omv sdk install"), std::string::npos);
}

TEST_F(SdkInstall, VersionComesFromTheCheckout) {
  fs::copy(fs::path(OMV_SOURCE_DIR) / "tests/fixtures/firmware-tree", tmp / "fw", fs::copy_options::recursive);
  auto r = omv({"sdk", "status", "--json", "--repo", (tmp / "fw").string()}, opts());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = json::parse(r.out);
  const std::string pinned(trim(read_file(tmp / "fw/SDK_VERSION")));
  EXPECT_EQ(j["required"], pinned);
  EXPECT_EQ(j["required_from"], (tmp / "fw/SDK_VERSION").string());
  auto outside = omv({"sdk", "status"}, opts());
  EXPECT_EQ(outside.exit_code, 2);
  EXPECT_NE(outside.err.find("--version"), std::string::npos);
}

TEST_F(SdkInstall, WrongHashInstallsNothing) {
  publish();
  write_file(tarball().string() + ".sha256", std::string(64, 'a') + "  x.tar.xz\n");
  HttpServer server(served, work);
  auto r = install(server);
  EXPECT_EQ(r.exit_code, 12) << r.err;
  EXPECT_NE(r.err.find("SHA-256 mismatch"), std::string::npos) << r.err;
  expect_nothing_installed(home);
  EXPECT_FALSE(fs::exists(home / ("." + tarball_name(version) + ".part")));
}

TEST_F(SdkInstall, MissingChecksumOnTheServer) {
  publish();
  fs::remove(tarball().string() + ".sha256");
  HttpServer server(served, work);
  auto r = install(server);
  EXPECT_EQ(r.exit_code, 11) << r.err;
  EXPECT_NE(r.err.find("HTTP 404"), std::string::npos) << r.err;
  expect_nothing_installed(home);
}

TEST_F(SdkInstall, TruncatedDownloadInstallsNothing) {
  publish(512 * 1024, true);
  HttpServer server(served, work, {"--drop-after", "100000"});
  auto r = install(server);
  EXPECT_EQ(r.exit_code, 11) << r.err;
  expect_nothing_installed(home);
  // What did arrive is kept for the next run.
  auto part = home / ("." + tarball_name(version) + ".part");
  ASSERT_TRUE(fs::exists(part));
  EXPECT_EQ(fs::file_size(part), 100000u);
}

TEST_F(SdkInstall, DroppedConnectionResumesWithARangeRequest) {
  auto top = publish(768 * 1024, true);
  HttpServer server(served, work, {"--drop-after", "300000", "--drop-times", "1"});
  auto first = install(server);
  ASSERT_EQ(first.exit_code, 11) << first.err;
  expect_nothing_installed(home);
  auto second = install(server, {"--json"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(last_json_line(second.out)["data"]["resumed_from"], 300000);
  auto gets = tarball_requests(server);
  ASSERT_EQ(gets.size(), 2u);
  EXPECT_EQ(gets[1]["range"], "bytes=300000-");
  EXPECT_EQ(gets[1]["status"], 206);
  EXPECT_EQ(gets[1]["sent"].get<uint64_t>(), fs::file_size(tarball()) - 300000);
  EXPECT_EQ(read_file(sdk_dir() / "lib/data2.bin"), read_file(top / "lib/data2.bin"));
  EXPECT_FALSE(fs::exists(home / ("." + tarball_name(version) + ".part")));
}

TEST_F(SdkInstall, ServerIgnoringRangesStillInstalls) {
  publish(512 * 1024, true);
  {
    HttpServer dropping(served, work / "a", {"--drop-after", "200000"});
    fs::create_directories(work / "a");
    EXPECT_EQ(install(dropping).exit_code, 11);
  }
  fs::create_directories(work / "b");
  HttpServer plain(served, work / "b", {"--no-range"});
  auto r = install(plain);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_file(sdk_dir() / "sdk.version"), version + "\n");
}

TEST_F(SdkInstall, KillDuringExtractionLeavesNothingInstalled) {
  publish(3 * 1024 * 1024, true);
  fs::path out = work / "omv.out";
  pid_t pid = -1;
  {
    fs::create_directories(work / "slow");
    HttpServer slow(served, work / "slow", {"--rate", "600000"});
    std::map<std::string, std::string> env{{"HOME", home.string()}, {"SDK_DIR", ""}, {"NO_COLOR", "1"}};
    pid = spawn({OMV_BINARY, "sdk", "install", "--version", version, "--base-url", slow.url("/sdk")}, env, out);
    // Wait until files are being extracted into the work folder, then kill -9.
    bool extracting = false;
    for (int i = 0; i < 400 && !extracting; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
      for (const auto& w : work_folders(home))
        if (fs::exists(home / w / "lib/data0.bin")) extracting = true;
    }
    ASSERT_TRUE(extracting) << read_file(out);
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFSIGNALED(status));
  }
  EXPECT_TRUE(installed_looking(home).empty());
  auto st = json::parse(omv({"sdk", "status", "--version", version, "--json"}, opts()).out);
  EXPECT_EQ(st["ok"], false);
  // The next run cleans up, resumes and installs.
  fs::create_directories(work / "fast");
  HttpServer fast(served, work / "fast");
  auto r = install(fast, {"--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_GT(last_json_line(r.out)["data"]["resumed_from"].get<uint64_t>(), 0u);
  EXPECT_TRUE(work_folders(home).empty());
  EXPECT_EQ(read_file(sdk_dir() / "sdk.version"), version + "\n");
}

class SmallDisk {
 public:
  explicit SmallDisk(const fs::path& at) : at_(at) {
    fs::create_directories(at);
    mounted_ = mount("tmpfs", at.c_str(), "tmpfs", 0, "size=1m") == 0;
  }
  ~SmallDisk() {
    if (mounted_) umount2(at_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }

 private:
  fs::path at_;
  bool mounted_ = false;
};

TEST_F(SdkInstall, FullDiskInstallsNothingAndKeepsTheSdkThatWasThere) {
  SmallDisk disk(tmp / "small");
  if (!disk.mounted()) GTEST_SKIP() << "cannot mount a 1 MiB tmpfs here (needs root / CAP_SYS_ADMIN)";
  publish(4 * 1024 * 1024);  // compresses to a few KiB, unpacks to 4 MiB
  fs::path sdk = tmp / "small/sdk";
  write_file(sdk / "sdk.version", "1.0.0\n");
  write_file(sdk / "gcc/bin/old-tool", "old\n");
  HttpServer server(served, work);
  auto r = install(server, {}, {{"SDK_DIR", sdk.string()}});
  EXPECT_EQ(r.exit_code, 10) << r.err;
  EXPECT_NE(r.err.find("disk full"), std::string::npos) << r.err;
  EXPECT_EQ(read_file(sdk / "sdk.version"), "1.0.0\n");
  EXPECT_EQ(read_file(sdk / "gcc/bin/old-tool"), "old\n");
  EXPECT_TRUE(work_folders(tmp / "small").empty());
}

TEST_F(SdkInstall, ReplacesAnOtherVersionAtSdkDirAtomically) {
  publish();
  fs::path sdk = tmp / "custom/sdk";
  write_file(sdk / "sdk.version", "1.0.0\n");
  write_file(sdk / "stale-file", "old\n");
  HttpServer server(served, work);
  auto r = install(server, {}, {{"SDK_DIR", sdk.string()}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_file(sdk / "sdk.version"), version + "\n");
  EXPECT_FALSE(fs::exists(sdk / "stale-file"));
  EXPECT_TRUE(work_folders(tmp / "custom").empty());
}

struct EvilCase {
  const char* label;
  std::vector<TarEntry> extra;
  const char* must_not_exist;  // relative to the test's temp folder
};

class SdkInstallRefuses : public SdkInstall, public ::testing::WithParamInterface<int> {};

std::vector<EvilCase> evil_cases() {
  return {
      {"dotdot", {{"top/../../escaped.txt", "x", "", "", false}}, "escaped.txt"},
      {"absolute", {{"/tmp/omv-sdk-test-absolute-entry.txt", "x", "", "", false}}, ""},
      {"symlink_absolute", {{"top/etc", "", "/etc", "", false}}, ""},
      {"symlink_up", {{"top/up", "", "../../..", "", false}}, ""},
      {"hardlink_out", {{"top/h", "", "", "../outside.txt", false}}, ""},
      {"second_top", {{"other/file", "x", "", "", false}}, ""},
      {"link_chain", {{"top/b", "", ".", "", false}, {"top/a", "", "b/..", "", false}}, ""},
  };
}

TEST_P(SdkInstallRefuses, UnsafeEntries) {
  auto c = evil_cases()[static_cast<size_t>(GetParam())];
  std::vector<TarEntry> entries{{"top", "", "", "", true}, {"top/sdk.version", version + "\n", "", "", false}};
  entries.insert(entries.end(), c.extra.begin(), c.extra.end());
  make_raw_tarball(entries, tarball());
  HttpServer server(served, work);
  auto r = install(server);
  EXPECT_EQ(r.exit_code, 9) << c.label << ": " << r.err;
  EXPECT_NE(r.err.find("refused"), std::string::npos) << r.err;
  expect_nothing_installed(home);
  if (*c.must_not_exist) {
    EXPECT_FALSE(fs::exists(tmp / c.must_not_exist));
  }
  EXPECT_FALSE(fs::exists("/tmp/omv-sdk-test-absolute-entry.txt"));
  EXPECT_FALSE(fs::exists(home / "escaped.txt"));
}

std::string evil_name(const ::testing::TestParamInfo<int>& param_info) {
  return evil_cases()[static_cast<size_t>(param_info.param)].label;
}

INSTANTIATE_TEST_SUITE_P(Cases, SdkInstallRefuses, ::testing::Range(0, 7), evil_name);

TEST_F(SdkInstall, WrongStampInsideIsRefused) {
  std::vector<TarEntry> entries{{"top", "", "", "", true}, {"top/sdk.version", "1.2.3\n", "", "", false}};
  make_raw_tarball(entries, tarball());
  HttpServer server(served, work);
  auto r = install(server);
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("sdk.version says 1.2.3"), std::string::npos) << r.err;
  expect_nothing_installed(home);
}

TEST_F(SdkInstall, OfflineFromAFile) {
  publish();
  fs::path file = tmp / "downloads" / tarball_name(version);
  fs::create_directories(file.parent_path());
  fs::copy_file(tarball(), file);
  auto no_sum = omv({"sdk", "install", "--version", version, "--from", file.string()}, opts());
  EXPECT_EQ(no_sum.exit_code, 2) << no_sum.err;
  EXPECT_NE(no_sum.err.find("--sha256"), std::string::npos);
  auto wrong = omv({"sdk", "install", "--version", version, "--from", file.string(), "--sha256", std::string(64, '0')}, opts());
  EXPECT_EQ(wrong.exit_code, 12) << wrong.err;
  expect_nothing_installed(home);
  fs::copy_file(tarball().string() + ".sha256", file.string() + ".sha256");
  auto ok = omv({"sdk", "install", "--version", version, "--from", file.string()}, opts());
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(read_file(sdk_dir() / "sdk.version"), version + "\n");
}

TEST_F(SdkInstall, TlsCertificatesAreVerifiedUnlessInsecure) {
  publish();
  auto gen = run({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-days", "1",
                  "-keyout", (work / "key.pem").string(), "-out", (work / "cert.pem").string()});
  if (gen.exit_code != 0) GTEST_SKIP() << "openssl cannot make a test certificate: " << gen.err;
  HttpServer server(served, work, {"--tls", (work / "cert.pem").string(), (work / "key.pem").string()});
  auto strict = install(server);
  EXPECT_EQ(strict.exit_code, 11) << strict.err;
  EXPECT_NE(strict.err.find("certificate"), std::string::npos) << strict.err;
  EXPECT_NE(strict.err.find("--insecure"), std::string::npos) << strict.err;
  expect_nothing_installed(home);
  auto loose = install(server, {"--insecure"});
  ASSERT_EQ(loose.exit_code, 0) << loose.err;
  EXPECT_NE(loose.err.find("TLS certificate verification is OFF"), std::string::npos) << loose.err;
}

}  // namespace
}  // namespace omv::test::sdk_install_test
