#include "debug/process.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>

#include "core/error.h"

namespace omv::debug {

TEST(Process, ExitStatusAndMissingPrograms) {
  auto ok = Child::spawn({"sh", "-c", "exit 3"});
  EXPECT_EQ(ok.wait(), 3);
  try {
    Child::spawn({"/nonexistent/omv-no-such-program"});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::missing_tool);
    EXPECT_NE(std::string(e.what()).find("omv-no-such-program"), std::string::npos);
  }
}

TEST(Process, StopEndsTheWholeGroup) {
  char dir[] = "/tmp/omv-process-test-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string pidfile = std::string(dir) + "/pid";
  // The group leader starts a grandchild and waits; stopping the leader must end both.
  auto child = Child::spawn({"sh", "-c", "sleep 300 & echo $! > " + pidfile + "; wait"},
                            SpawnOptions{"", false, true, false});
  pid_t grandchild = 0;
  for (int i = 0; i < 500 && grandchild == 0; ++i) {
    FILE* f = fopen(pidfile.c_str(), "r");
    if (f) {
      if (fscanf(f, "%d", &grandchild) != 1) grandchild = 0;
      fclose(f);
    }
    if (grandchild == 0) child.wait(Millis(10));
  }
  ASSERT_GT(grandchild, 0);
  EXPECT_TRUE(child.running());
  child.stop(Millis(2000));
  EXPECT_FALSE(child.running());
  EXPECT_EQ(child.status(), 128 + SIGTERM);
  // The grandchild was reparented; it is gone or a zombie about to be reaped by init.
  bool gone = false;
  for (int i = 0; i < 200 && !gone; ++i) {
    char state = 0;
    std::string stat = "/proc/" + std::to_string(grandchild) + "/stat";
    FILE* f = fopen(stat.c_str(), "r");
    if (!f) {
      gone = true;
      break;
    }
    int pid;
    char comm[64];
    if (fscanf(f, "%d %63s %c", &pid, comm, &state) == 3 && state == 'Z') gone = true;
    fclose(f);
    if (!gone) ::usleep(10000);  // the child is reaped already: its wait() would not pause
  }
  EXPECT_TRUE(gone);
  unlink(pidfile.c_str());
  rmdir(dir);
}

TEST(Process, WaitForReportsExitsSignalsAndTimeouts) {
  auto quick = Child::spawn({"true"});
  auto slow = Child::spawn({"sleep", "300"});
  auto r = wait_for({&slow, &quick}, nullptr, Millis(10000));
  EXPECT_EQ(r.what, WaitResult::What::child_exited);
  EXPECT_EQ(r.child, 1u);
  r = wait_for({&slow}, nullptr, Millis(20));
  EXPECT_EQ(r.what, WaitResult::What::timeout);
  {
    SignalWatch signals;
    kill(getpid(), SIGTERM);  // blocked: arrives through the watch, not as a kill
    r = wait_for({&slow}, &signals, Millis(10000));
    EXPECT_EQ(r.what, WaitResult::What::signal);
    EXPECT_EQ(r.signal, SIGTERM);
  }
  slow.stop();
  EXPECT_EQ(slow.status(), 128 + SIGTERM);
}

}  // namespace omv::debug
