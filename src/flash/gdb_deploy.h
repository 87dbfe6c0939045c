#pragma once
// Deploy through a running GDB server: connect, read its features and memory map, plan per erase
// unit against what the target holds (qCRC or reads), erase and write only the units that
// differ, verify if asked, reset and let the target run. Images are refused (nothing written)
// before the connection when the board says so (read-only partition, wrong fit) and before any
// write when the server's map says so (outside every region, rom).
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "boards/board.h"
#include "core/events.h"
#include "flash/executor.h"
#include "flash/gdb_target_view.h"
#include "flash/plan.h"
#include "protocol/gdb/client.h"
#include "protocol/gdb/tcp_stream.h"

namespace omv::flash {

struct GdbDeployOptions {
  protocol::gdb::Endpoint endpoint;
  bool skip_unchanged = true;
  bool verify = false;
  bool reset = true;
  bool dry_run = false;
  protocol::gdb::Millis connect_timeout{5000};
  protocol::gdb::ClientOptions client;
  std::function<void(const Plan&)> on_plan;  // called once the plan is made, before any write
};

struct GdbDeployment {
  std::string server;                    // "GDB server at 127.0.0.1:3333"
  std::string compared_by;               // "qCRC", "reading", or "" (nothing compared)
  std::unique_ptr<GdbTargetView> view;   // the plan points into it
  Plan plan;
  std::optional<Outcome> outcome;        // absent on a dry run
  nlohmann::json server_json() const;    // features and regions, for --json
  protocol::gdb::Features features;
};

GdbDeployment deploy_over_gdb(const boards::Board& board, const std::vector<Image>& images,
                              const GdbDeployOptions& options, Reporter& reporter);

}  // namespace omv::flash
