#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace omv {

std::string to_upper(std::string_view s);
std::string to_lower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
size_t edit_distance(std::string_view a, std::string_view b);  // case-insensitive
// The candidates closest to `wanted`, best first: used for "did you mean ...?".
std::vector<std::string> nearest(std::string_view wanted, const std::vector<std::string>& candidates,
                                 size_t max_results = 3);
std::string join(const std::vector<std::string>& parts, std::string_view separator);
std::string_view trim(std::string_view s);

}  // namespace omv
