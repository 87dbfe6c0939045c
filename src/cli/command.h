#pragma once
// The command registry. Each command lives in one cmd_<name>.cpp, in its own namespace
// omv::cli::cmd_<name> (the CLI is a unity build), and registers itself:
//
//   const Register registered{{"boards", "List every board", setup, Group::set_up, 5,
//                              "  omv boards\n"}};
//
// setup() adds a CLI11 subcommand and its callback; the callback calls the library and
// throws omv::Error on failure (main maps it to the exit code).
#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

#include "boards/board_db.h"
#include "boards/checkout.h"
#include "core/events.h"

namespace omv::cli {

struct Globals {
  bool json = false;
  std::string boards_dir;  // --boards DIR
  std::string repo;        // --repo DIR
  std::string sim;         // --sim DIR / OMV_SIM
};

// What every command may need, created lazily so that global options are parsed first.
class Context {
 public:
  Globals globals;

  const boards::BoardDb& boards();
  // The checkout from --repo, or found upward from the working directory; nullptr if none.
  const boards::Checkout* checkout();
  const boards::Checkout& require_checkout();
  EventSink& events();
  Reporter reporter() { return Reporter(events()); }

 private:
  std::optional<boards::BoardDb> boards_;
  std::optional<boards::Checkout> checkout_;
  bool checkout_searched_ = false;
  std::unique_ptr<EventSink> sink_;
};

using Setup = void (*)(CLI::App& parent, Context& ctx);

// The tasks `omv help` groups the commands by, in the order it shows them.
enum class Group { set_up, build, flash, recover, debug, files, virtual_cameras, help };
const char* group_title(Group group);

struct Command {
  const char* name;  // "sim gadget": a subcommand of an existing command
  const char* summary;
  Setup setup;
  Group group;
  int order;             // position inside its group
  const char* examples;  // one command line per line, shown under "Examples:" in its help
};

std::vector<Command>& registry();

struct Register {
  explicit Register(Command command) { registry().push_back(command); }
};

// Prints a JSON document on stdout (data commands' --json output).
void print_json(const nlohmann::json& doc);

}  // namespace omv::cli
