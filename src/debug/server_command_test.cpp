#include "debug/server_command.h"

#include <gtest/gtest.h>

#include "debug/gdb_script.h"

namespace omv::debug {

using Args = std::vector<std::string>;

TEST(ServerCommand, JLink) {
  auto argv = jlink_command({"/opt/SEGGER/JLink/JLinkGDBServerCLExe", "STM32H743VI", 2331, false});
  EXPECT_EQ(argv, (Args{"/opt/SEGGER/JLink/JLinkGDBServerCLExe", "-select", "USB", "-device", "STM32H743VI", "-endian",
                        "little", "-if", "SWD", "-speed", "auto", "-port", "2331", "-swoport", "2332", "-telnetport",
                        "2333", "-LocalhostOnly", "-nogui", "-singlerun", "-halt"}));
  auto attach = jlink_command({"JLinkGDBServer", "AE302F80F55D5_HP", 2400, true});
  EXPECT_EQ(Args(attach.end() - 2, attach.end()), (Args{"-nohalt", "-noir"}));
}

TEST(ServerCommand, Stlink) {
  auto argv = stlink_command({"ST-LINK_gdbserver", "/sdk/stcubeprog/bin",
                              "/sdk/stcubeprog/bin/ExternalLoader/MX25UM51245G_STM32N6570-NUCLEO.stldr", 61234, 1, true});
  EXPECT_EQ(argv, (Args{"ST-LINK_gdbserver", "--stm32cubeprogrammer-path", "/sdk/stcubeprog/bin", "--port-number", "61234",
                        "--swd", "--apid", "1", "--halt", "--attach", "--extload",
                        "/sdk/stcubeprog/bin/ExternalLoader/MX25UM51245G_STM32N6570-NUCLEO.stldr"}));
  auto launch = stlink_command({"ST-LINK_gdbserver", "/cp", "", 61234, 0, false});
  EXPECT_EQ(launch.back(), "--initialize-reset");
}

TEST(ServerCommand, QemuRunsTheCameraMemories) {
  QemuParams q;
  q.exe = "qemu-system-arm";
  q.machine = "mps2-an500";
  q.port = 3334;
  q.images = {{"/bus/SN,1/code.bin", 0}};
  q.uart_log = "/tmp/uart.log";
  auto argv = qemu_command(q);
  EXPECT_EQ(argv, (Args{"qemu-system-arm", "-M", "mps2-an500", "-nographic", "-monitor", "none", "-semihosting-config",
                        "enable=on,target=native", "-S", "-gdb", "tcp:127.0.0.1:3334", "-serial", "file:/tmp/uart.log",
                        "-device", "loader,file=/bus/SN,,1/code.bin,addr=0x00000000,force-raw=on"}));
  q.attach = true;
  q.images.clear();
  q.kernel = "fw.elf";
  argv = qemu_command(q);
  EXPECT_EQ(std::find(argv.begin(), argv.end(), "-S"), argv.end());
  EXPECT_EQ(Args(argv.end() - 2, argv.end()), (Args{"-kernel", "fw.elf"}));
}

TEST(ServerCommand, ShellJoinQuotes) {
  EXPECT_EQ(shell_join({"gdb", "-ex", "target remote :1", "it's"}), "gdb -ex 'target remote :1' 'it'\\''s'");
}

TEST(GdbScript, BatchStaysAtResetInteractiveRunsToMain) {
  GdbSetup s;
  s.port = 3333;
  s.batch = true;
  s.substitute_paths = {{"/build/openmv", "/home/me/open mv"}};
  std::string batch = gdb_setup_script(s);
  EXPECT_NE(batch.find("set pagination off\nset confirm off\n"), std::string::npos);
  EXPECT_NE(batch.find("set substitute-path /build/openmv \"/home/me/open mv\"\n"), std::string::npos);
  EXPECT_NE(batch.find("target remote 127.0.0.1:3333\n"), std::string::npos);
  EXPECT_EQ(batch.find("tbreak main"), std::string::npos);
  s.batch = false;
  s.stop_at_main = true;
  std::string interactive = gdb_setup_script(s);
  EXPECT_EQ(interactive.find("set pagination off"), std::string::npos);
  EXPECT_NE(interactive.find("tbreak main\ncontinue\n"), std::string::npos);
  s.server = ServerKind::jlink;
  EXPECT_NE(gdb_setup_script(s).find("monitor reset\n"), std::string::npos);
  s.attach = true;
  std::string attach = gdb_setup_script(s);
  EXPECT_EQ(attach.find("monitor reset"), std::string::npos);
  EXPECT_EQ(attach.find("tbreak main"), std::string::npos);
}

TEST(GdbScript, Command) {
  EXPECT_EQ(gdb_command("gdb-multiarch", "fw.elf", "setup.gdb", ""), (Args{"gdb-multiarch", "-q", "-x", "setup.gdb", "fw.elf"}));
  EXPECT_EQ(gdb_command("gdb-multiarch", "fw.elf", "setup.gdb", "cmds.gdb"),
            (Args{"gdb-multiarch", "-q", "-nx", "-batch", "-x", "setup.gdb", "-x", "cmds.gdb", "fw.elf"}));
}

}  // namespace omv::debug
