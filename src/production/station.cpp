#include "production/station.h"

#include <unistd.h>

#include <climits>

namespace omv::production {

std::string station_name() {
  char name[HOST_NAME_MAX + 1] = {};
  if (gethostname(name, sizeof name - 1) != 0 || !name[0]) return "unknown";
  return name;
}

}  // namespace omv::production
