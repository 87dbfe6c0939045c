// Children on both platform layers: waited for, killed with their process group, and killed
// when the process that started them dies.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <thread>

#include "platform/impls_test.h"

namespace omv::platform::process_test {
using namespace std::chrono_literals;

// Gone: no such process, or a zombie nobody has reaped yet (a test runner's pid 1 may not reap).
bool gone(pid_t pid) {
  if (::kill(pid, 0) != 0 && errno == ESRCH) return true;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string pid_field, comm, state;
  return stat >> pid_field >> comm >> state && state == "Z";
}

bool gone_within(pid_t pid, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!gone(pid)) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

// Forks a child that guards itself with the implementation's parent death and then runs `argv`
// in its own process group when `group`.
template <class P>
pid_t spawn(std::vector<const char*> argv, bool group, Lifeline& lifeline) {
  lifeline = P::open_lifeline();
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (group) ::setpgid(0, 0);
    P::die_with_parent(lifeline, parent, group);
    argv.push_back(nullptr);
    ::execvp(argv[0], const_cast<char* const*>(argv.data()));
    ::_exit(127);
  }
  if (group) ::setpgid(pid, pid);
  P::after_fork_in_parent(lifeline);
  return pid;
}

template <class T>
class Process : public ::testing::Test {};
TYPED_TEST_SUITE(Process, impls_test::Impls, impls_test::ImplName);

TYPED_TEST(Process, AChildIsWaitedForAndKilledWithItsGroup) {
  char dir[] = "/tmp/omv-platform-process-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string pidfile = std::string(dir) + "/pid";
  Lifeline lifeline;
  const std::string script = "sleep 300 & echo $! > " + pidfile + "; wait";
  const pid_t leader = spawn<TypeParam>({"sh", "-c", script.c_str()}, true, lifeline);
  ASSERT_GT(leader, 0);
  pid_t grandchild = 0;
  for (int i = 0; i < 500 && grandchild == 0; ++i) {
    std::ifstream in(pidfile);
    if (!(in >> grandchild)) grandchild = 0;
    if (grandchild == 0) std::this_thread::sleep_for(10ms);
  }
  ASSERT_GT(grandchild, 0);

  const int fd = TypeParam::exit_fd(leader);
  if (TypeParam::is_linux) EXPECT_GE(fd, 0);
  else EXPECT_EQ(fd, -1);
  if (fd >= 0) ::close(fd);
  int status = 0;
  EXPECT_EQ(::waitpid(leader, &status, WNOHANG), 0);  // still running

  ASSERT_EQ(::kill(-leader, SIGKILL), 0);
  ASSERT_EQ(::waitpid(leader, &status, 0), leader);
  EXPECT_TRUE(WIFSIGNALED(status));
  EXPECT_TRUE(gone_within(grandchild, 5s));
  if (lifeline.parent_end >= 0) ::close(lifeline.parent_end);
  std::filesystem::remove_all(dir);
}

TYPED_TEST(Process, WaitForPidExitSeesAProcessEnd) {
  const pid_t child = ::fork();
  if (child == 0) {
    ::execlp("sleep", "sleep", "300", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ASSERT_GT(child, 0);
  EXPECT_FALSE(TypeParam::wait_for_pid_exit(child, 50ms));
  ::kill(child, SIGKILL);
  // The processes waited for this way are reaped by someone else (init, for sim daemons).
  std::thread reaper([child] { ::waitpid(child, nullptr, 0); });
  EXPECT_TRUE(TypeParam::wait_for_pid_exit(child, 5s));
  reaper.join();
}

// omv is killed with SIGKILL; the child it started must not outlive it.
TYPED_TEST(Process, AChildDiesWithTheProcessThatStartedIt) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t omv = ::fork();
  if (omv == 0) {
    ::close(fds[0]);
    Lifeline lifeline;
    const pid_t child = spawn<TypeParam>({"sleep", "300"}, false, lifeline);
    ssize_t ignored = ::write(fds[1], &child, sizeof child);
    (void)ignored;
    ::pause();
    ::_exit(0);
  }
  ::close(fds[1]);
  pid_t child = 0;
  ASSERT_EQ(::read(fds[0], &child, sizeof child), static_cast<ssize_t>(sizeof child));
  ::close(fds[0]);
  std::this_thread::sleep_for(100ms);  // the child is past exec (and its watchdog started)
  EXPECT_FALSE(gone(child));
  ::kill(omv, SIGKILL);
  ::waitpid(omv, nullptr, 0);
  EXPECT_TRUE(gone_within(child, 5s));
  if (!gone(child)) ::kill(child, SIGKILL);
}

TYPED_TEST(Process, SignalsArriveThroughThePollableFd) {
  typename TypeParam::SignalWatch watch;
  ASSERT_GE(watch.fd(), 0);
  EXPECT_FALSE(watch.take());
  ASSERT_EQ(::raise(SIGHUP), 0);
  pollfd p{watch.fd(), POLLIN, 0};
  ASSERT_EQ(::poll(&p, 1, 2000), 1);
  EXPECT_EQ(watch.take(), SIGHUP);
  EXPECT_FALSE(watch.take());
}

}  // namespace omv::platform::process_test
