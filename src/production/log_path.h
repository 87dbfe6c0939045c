#pragma once
// Where the production log lives when --log names no file: the user's data folder, as the XDG
// base directory specification defines it ($XDG_DATA_HOME, else ~/.local/share).
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace omv::production {

using EnvLookup = std::function<std::optional<std::string>(const char* name)>;

// $XDG_DATA_HOME/omv/production.sqlite3 (an absolute XDG_DATA_HOME only, as the specification
// says), else $HOME/.local/share/omv/production.sqlite3. Throws Error{usage} when neither is set.
std::filesystem::path default_log_path(const EnvLookup& env);
std::filesystem::path default_log_path();

}  // namespace omv::production
