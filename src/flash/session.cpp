#include "flash/session.h"

#include <map>

#include "core/error.h"

namespace omv::flash {
namespace {

std::map<std::string, SessionFactory>& factories() {
  static std::map<std::string, SessionFactory> f;
  return f;
}

}  // namespace

void register_session(const std::string& type, SessionFactory factory) { factories()[type] = std::move(factory); }

const SessionFactory* find_session(const std::string& type) {
  auto it = factories().find(type);
  return it == factories().end() ? nullptr : &it->second;
}

std::unique_ptr<Session> open_session(SessionRequest& request, const std::string& type_override) {
  std::string type = type_override.empty() ? boards::to_string(request.board.bootloader_type) : type_override;
  const auto* f = find_session(type);
  if (!f)
    fail(ErrorKind::unsupported,
         request.board.target + ": flashing over its bootloader (" + type + ") is not supported yet",
         "omv flashes openmv_dfu, st_rom_dfuse and arduino_dfuse boards");
  return (*f)(request);
}

}  // namespace omv::flash
