#pragma once
// CSV as RFC 4180 writes it: a field holding a comma, a quote, a line break or a leading or
// trailing space is put in double quotes, with each quote inside doubled. Lines end in "\n".
#include <string>
#include <string_view>
#include <vector>

namespace omv {

std::string csv_field(std::string_view value);
std::string csv_line(const std::vector<std::string>& fields);

}  // namespace omv
