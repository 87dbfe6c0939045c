#include "flash/gdb_deploy.h"

#include <fmt/format.h>

#include "core/error.h"
#include "core/numbers.h"
#include "flash/gdb_session.h"
#include "protocol/gdb/memory_map.h"

namespace omv::flash {

nlohmann::json GdbDeployment::server_json() const {
  nlohmann::json regions = nlohmann::json::array();
  if (view)
    for (const auto& [memory, access] : view->access)
      regions.push_back({{"memory", memory}, {"cpu_base", hex32(access.cpu_base)}, {"vflash", access.flash_packets},
                         {"blocksize", access.blocksize}, {"region", access.region}});
  return {{"server", server}, {"packet_size", features.packet_size}, {"compared_by", compared_by},
          {"memory_map", view && view->has_map}, {"memories", regions}};
}

GdbDeployment deploy_over_gdb(const boards::Board& board, const std::vector<Image>& images,
                              const GdbDeployOptions& options, Reporter& reporter) {
  PlanOptions po;
  po.skip_unchanged = options.skip_unchanged;
  validate(board, images, po);

  GdbDeployment out;
  auto stream = protocol::gdb::connect_tcp(options.endpoint, options.connect_timeout);
  protocol::gdb::Client client(*stream, options.client);
  out.server = client.server();
  out.features = client.connect();

  std::optional<protocol::gdb::MemoryMap> map;
  if (auto xml = client.memory_map_xml()) {
    try {
      map = protocol::gdb::parse_memory_map(*xml);
    } catch (const Error& e) {
      fail(e.kind(), out.server + ": " + e.what(), "the server's memory map is malformed; nothing was written");
    }
  }
  out.view = std::make_unique<GdbTargetView>(make_gdb_target_view(board, images, map, out.server));
  reporter.info(fmt::format("{}: packets of {} bytes, {}, {}", out.server, out.features.packet_size,
                            client.acks() ? "acknowledged" : "no-ack mode",
                            map ? fmt::format("memory map of {} region(s)", map->regions.size()) : "no memory map"),
                out.server_json());
  for (const auto& [memory, access] : out.view->access)
    reporter.info(fmt::format("{} at {}: {}", memory, hex32(access.cpu_base), access.region));

  GdbSession session(client, *out.view, reporter);
  // No memory map but no-ack mode: J-Link's GDB server (QEMU, the other server without a map,
  // has no no-ack mode, and a reset there would undo the deploy).
  session.reset_before_read_back(!map && out.features.supports("QStartNoAckMode"));
  out.plan = make_plan(out.view->board, images, &session, po, reporter);
  if (session.compare_method() == GdbSession::Compare::crc) out.compared_by = "qCRC";
  else if (session.compare_method() == GdbSession::Compare::read) out.compared_by = "reading";
  if (options.on_plan) options.on_plan(out.plan);
  if (options.dry_run) return out;

  ExecuteOptions eo;
  eo.verify = options.verify;
  eo.reset = options.reset;
  out.outcome = execute(out.view->board, out.plan, session, eo, reporter);
  return out;
}

}  // namespace omv::flash
