#pragma once
// The production log's tables, versioned with SQLite's user_version: step v of the migrations
// takes a log from version v to v + 1, so a log written by an older omv is brought up to date
// the first time a newer one records into it, and a newer omv's log is refused instead of
// being misread. application_id marks the file as an omv production log, so --log pointed at
// another program's database is refused instead of getting tables added.
#include <cstdint>
#include <span>
#include <string_view>

#include "production/sqlite_db.h"

namespace omv::production {

constexpr int32_t kApplicationId = 0x6F6D764C;  // "omvL"

// The real migrations of this omv; their count is the schema version it writes.
std::span<const std::string_view> migrations();
int schema_version();

// Brings the log to version steps.size() in one IMMEDIATE transaction, so two omv processes
// starting on a new file at once create the tables once. Throws Error{bad_file} for a database
// of another program, Error{unsupported} for a log of a newer omv.
void migrate(SqliteDb& db, std::span<const std::string_view> steps);

// For reading without changing anything: the file must be an omv production log at `version`.
void check_readable(SqliteDb& db, int version);

}  // namespace omv::production
