// omv rtt TARGET [--gdb HOST:PORT | --jlink | --telnet HOST:PORT] [--elf F] [--address A]
//   [--scan START:LENGTH] [--channel N] [--halt] [--seconds S] [--json]
// Prints what the firmware writes to a SEGGER RTT up-buffer, as it comes, and sends stdin to
// down-buffer 0: through any GDB server (omv finds the control block and polls it), or from the
// RTT port of a running J-Link GDB server.
#include <fmt/format.h>
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "cli/command.h"
#include "core/error.h"
#include "core/numbers.h"
#include "debug/elf_file.h"
#include "debug/process.h"
#include "debug/rtt/gdb_memory_port.h"
#include "debug/rtt/rtt_reader.h"
#include "protocol/gdb/client.h"
#include "protocol/gdb/tcp_stream.h"

namespace omv::cli::cmd_rtt {
namespace {

using Clock = std::chrono::steady_clock;
constexpr const char* kDefaultGdbServer = "127.0.0.1:3333";
constexpr const char* kJLinkRttPort = "127.0.0.1:19021";  // JLinkGDBServer's RTT telnet port

struct Options {
  std::string target;
  std::string gdb, telnet;
  bool jlink = false;
  std::string elf, address, scan;
  uint32_t channel = 0;
  bool halt = false;
  double seconds = 0;
  double wait = 10;  // for the firmware to set RTT up (after a reset)
};

uint64_t number_of(const std::string& text, const char* what) {
  auto n = parse_u64(text);
  if (!n) fail(ErrorKind::usage, fmt::format("{} \"{}\" is not a number", what, text), "e.g. 0x20000000");
  return *n;
}

// START:LENGTH or START..END
debug::rtt::Range parse_scan(const std::string& text) {
  if (auto dots = text.find(".."); dots != std::string::npos) {
    const uint64_t start = number_of(text.substr(0, dots), "--scan start"), end = number_of(text.substr(dots + 2), "--scan end");
    if (end <= start) fail(ErrorKind::usage, "--scan " + text + ": the end is not after the start");
    return {start, end - start};
  }
  auto colon = text.find(':');
  if (colon == std::string::npos) fail(ErrorKind::usage, "--scan takes START:LENGTH or START..END", "e.g. --scan 0x20000000:128K");
  return {number_of(text.substr(0, colon), "--scan start"), number_of(text.substr(colon + 1), "--scan length")};
}

// Whole lines as JSON events with --json; raw bytes on stdout otherwise.
class Printer {
 public:
  Printer(Reporter& rep, bool json, uint32_t channel) : rep_(rep), json_(json), channel_(channel) {}
  void add(const std::string& data) {
    bytes_ += data.size();
    for (char c : data) lines_ += c == '\n';
    if (!json_) {
      std::fwrite(data.data(), 1, data.size(), stdout);
      std::fflush(stdout);
      return;
    }
    partial_ += data;
    for (auto nl = partial_.find('\n'); nl != std::string::npos; nl = partial_.find('\n')) {
      emit(partial_.substr(0, nl));
      partial_.erase(0, nl + 1);
    }
  }
  void flush() {
    if (json_ && !partial_.empty()) emit(std::exchange(partial_, {}));
  }
  uint64_t bytes() const { return bytes_; }
  uint64_t lines() const { return lines_; }

 private:
  void emit(const std::string& line) { rep_.info(line, {{"rtt", {{"channel", channel_}, {"text", line}}}}); }
  Reporter& rep_;
  bool json_;
  uint32_t channel_;
  std::string partial_;
  uint64_t bytes_ = 0, lines_ = 0;
};

// Waits up to `timeout` for Ctrl-C (true) or stdin; appends what stdin had to `input`.
bool wait_a_while(debug::SignalWatch& signals, bool& stdin_open, std::string& input, std::chrono::milliseconds timeout) {
  pollfd fds[2] = {{signals.fd(), POLLIN, 0}, {stdin_open ? 0 : -1, POLLIN, 0}};
  ::poll(fds, 2, static_cast<int>(timeout.count()));
  if (signals.take()) return true;
  if (fds[1].revents & (POLLIN | POLLHUP)) {
    char buf[256];
    const ssize_t n = ::read(0, buf, sizeof buf);
    if (n <= 0) stdin_open = false;
    else input.append(buf, static_cast<size_t>(n));
  }
  return false;
}

bool past(Clock::time_point start, double seconds) {
  return seconds > 0 && std::chrono::duration<double>(Clock::now() - start).count() >= seconds;
}

// The J-Link RTT port: raw bytes of channel 0 (or the channel the config string selects).
void run_telnet(Context& ctx, const std::string& where, const Options& opt) {
  auto rep = ctx.reporter();
  auto endpoint = protocol::gdb::parse_endpoint(where);
  // The server may open its RTT port a moment after its GDB port: try again until --wait runs out.
  const auto give_up = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(opt.wait));
  std::unique_ptr<protocol::gdb::ByteStream> stream;
  for (;;) {
    try {
      stream = protocol::gdb::connect_tcp(endpoint, protocol::gdb::Millis(3000));
      break;
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::no_device || Clock::now() >= give_up) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  if (opt.channel != 0) {
    const std::string config = fmt::format("$$SEGGER_TELNET_ConfigStr=RTTCh;{}$$", opt.channel);
    stream->write(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(config.data()), config.size()));
  }
  rep.info(fmt::format("reading RTT channel {} from {} (Ctrl-C ends)", opt.channel, endpoint.describe()));
  debug::SignalWatch signals;
  Printer printer(rep, ctx.globals.json, opt.channel);
  const auto start = Clock::now();
  bool stdin_open = true, closed = false;
  std::string input;
  while (!past(start, opt.seconds)) {
    uint8_t buf[4096];
    size_t n = 0;
    try {
      n = stream->read(buf, protocol::gdb::Millis(20));
    } catch (const Error&) {
      closed = true;
      break;
    }
    printer.add(std::string(reinterpret_cast<const char*>(buf), n));
    if (wait_a_while(signals, stdin_open, input, std::chrono::milliseconds(0))) break;
    if (!input.empty()) {
      stream->write(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(input.data()), input.size()));
      input.clear();
    }
  }
  printer.flush();
  rep.result(fmt::format("RTT: {} bytes, {} lines from {}{}", printer.bytes(), printer.lines(), endpoint.describe(),
                         closed ? " (the server closed the connection)" : ""),
             {{"bytes", printer.bytes()}, {"lines", printer.lines()}, {"server", endpoint.describe()}});
}

// Finds the block, letting the core run between attempts (it may still be starting up).
uint64_t find_block(debug::rtt::Reader& reader, debug::rtt::GdbMemoryPort& port, debug::SignalWatch& signals,
                    const std::string& server, double wait) {
  const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(wait));
  std::string where;
  for (;;) {
    if (auto at = reader.locate(where)) return *at;
    if (Clock::now() >= deadline) break;
    port.run();
    bool stdin_open = false;
    std::string ignored;
    if (wait_a_while(signals, stdin_open, ignored, std::chrono::milliseconds(100)))
      fail(ErrorKind::interrupted, "interrupted while looking for the RTT control block");
  }
  fail(ErrorKind::no_device, fmt::format("no RTT control block through {}: {}", server, where),
       "build the firmware with an RTT buffer (_SEGGER_RTT), pass its ELF with --elf, or give --address / --scan");
}

void run_gdb(Context& ctx, const boards::Board& board, const Options& opt) {
  auto rep = ctx.reporter();
  debug::rtt::Placement placement;
  if (!opt.address.empty()) placement.address = number_of(opt.address, "--address");
  if (!opt.scan.empty()) placement.scan = parse_scan(opt.scan);
  std::string elf_path = opt.elf;
  if (elf_path.empty())
    if (const auto* co = ctx.checkout()) {
      auto candidate = co->root / "build" / board.target / "bin" / board.debug.elf;
      if (std::filesystem::exists(candidate)) elf_path = candidate.string();
    }
  if (!elf_path.empty() && !placement.address) {
    auto elf = debug::read_elf(elf_path, {"_SEGGER_RTT"});
    if (elf.has_symbol("_SEGGER_RTT")) placement.symbol = elf.symbols["_SEGGER_RTT"];
    else rep.info(elf_path + " has no _SEGGER_RTT symbol: scanning RAM for the control block");
  }

  auto endpoint = protocol::gdb::parse_endpoint(opt.gdb.empty() ? kDefaultGdbServer : opt.gdb);
  auto stream = protocol::gdb::connect_tcp(endpoint, protocol::gdb::Millis(5000));
  protocol::gdb::Client client(*stream);
  const auto& features = client.connect();
  const bool halt = opt.halt || debug::rtt::must_halt_to_read(features);
  debug::rtt::GdbMemoryPort port(client, halt);
  debug::rtt::Reader reader(port, placement, opt.channel);
  debug::SignalWatch signals;
  const uint64_t at = find_block(reader, port, signals, client.server(), opt.wait);
  rep.info(fmt::format("RTT control block at {}; {} through {} (Ctrl-C ends)", hex32(at),
                       halt ? "halting the core for each read" : "reading while the core runs", client.server()));
  port.run();

  Printer printer(rep, ctx.globals.json, opt.channel);
  debug::rtt::PollRate rate;
  const auto start = Clock::now();
  bool stdin_open = true;
  std::string input;
  uint64_t polls = 0, refinds = 0;
  while (!past(start, opt.seconds)) {
    if (wait_a_while(signals, stdin_open, input, rate.interval())) break;
    auto poll = reader.poll(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(input.data()), input.size()));
    polls++;
    if (poll.lost) {
      rep.warn(*poll.lost + ": finding it again");
      refinds++;
      find_block(reader, port, signals, client.server(), opt.wait);
      port.run();
      continue;
    }
    input.erase(0, poll.sent);
    printer.add(poll.data);
    rate.after(static_cast<uint32_t>(poll.data.size()), poll.buffer_size);
  }
  printer.flush();
  port.finish();
  const double wall = std::chrono::duration<double>(Clock::now() - start).count();
  const double halted = std::chrono::duration<double>(port.halted_time()).count();
  const double fraction = wall > 0 ? halted / wall : 0;
  rep.result(fmt::format("RTT: {} bytes, {} lines in {:.1f} s from {}; {} polls; the core was halted {:.2f}% of the time",
                         printer.bytes(), printer.lines(), wall, client.server(), polls, fraction * 100),
             {{"bytes", printer.bytes()},
              {"lines", printer.lines()},
              {"seconds", wall},
              {"polls", polls},
              {"halted_fraction", fraction},
              {"halting", halt},
              {"refinds", refinds},
              {"address", at},
              {"server", client.server()}});
}

void run(Context& ctx, const Options& opt) {
  const auto& board = ctx.boards().get(opt.target);
  const int ways = !opt.gdb.empty() + opt.jlink + !opt.telnet.empty();
  if (ways > 1) fail(ErrorKind::usage, "--gdb, --jlink and --telnet exclude each other: pick one");
  if (opt.jlink || !opt.telnet.empty()) return run_telnet(ctx, opt.jlink ? kJLinkRttPort : opt.telnet, opt);
  run_gdb(ctx, board, opt);
}

void setup(CLI::App& parent, Context& ctx) {
  auto opt = std::make_shared<Options>();
  auto* cmd = parent.add_subcommand("rtt", "Print the firmware's RTT output as it runs (and send stdin to it)");
  cmd->add_option("TARGET", opt->target, "Board TARGET, e.g. OPENMV4 or MPS2_AN500")->required();
  cmd->add_option("--gdb", opt->gdb, std::string("GDB server to read through, HOST:PORT (default ") + kDefaultGdbServer + ")");
  cmd->add_flag("--jlink", opt->jlink, std::string("Read the RTT port of a running J-Link GDB server (") + kJLinkRttPort + ")");
  cmd->add_option("--telnet", opt->telnet, "Read an RTT telnet port, HOST:PORT (J-Link, OpenOCD's rtt server)");
  cmd->add_option("--elf", opt->elf, "Firmware ELF with the _SEGGER_RTT symbol (default: the build's)");
  cmd->add_option("--address", opt->address, "The control block's address (no ELF, no scan)");
  cmd->add_option("--scan", opt->scan, "RAM to search for the control block, START:LENGTH or START..END (default 0x20000000:128K)");
  cmd->add_option("--channel", opt->channel, "Up-buffer to print (default 0, \"Terminal\")");
  cmd->add_flag("--halt", opt->halt, "Halt the core for each read even where the server reads while it runs");
  cmd->add_option("--seconds", opt->seconds, "Stop after this many seconds (default: at Ctrl-C)");
  cmd->add_option("--wait", opt->wait, "Look for the control block this long while the firmware starts (default 10 s)");
  cmd->callback([&ctx, opt] { run(ctx, *opt); });
}

const Register registered{{"rtt", "Print RTT output from a running target through a GDB server or J-Link", setup, Group::debug,
                           57,
                           "  omv rtt MPS2_AN500 --gdb 127.0.0.1:3333           # omv debug MPS2_AN500 --no-gdb runs QEMU\n"
                           "  omv rtt OPENMV4 --gdb 127.0.0.1:3333 --json       # OpenOCD, pyOCD, probe-rs...\n"
                           "  omv rtt OPENMV4 --jlink                          # JLinkGDBServer's RTT port\n"}};

}  // namespace
}  // namespace omv::cli::cmd_rtt
