#pragma once
#include <string>

namespace omv::production {

// The name of the machine an attempt ran on (its host name), so logs merged from several
// stations still say where each camera was flashed.
std::string station_name();

}  // namespace omv::production
