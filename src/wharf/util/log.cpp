#include "wharf/util/log.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace wharf::log {
namespace {

spdlog::level::level_enum to_spdlog(Level level) noexcept {
  switch (level) {
    case Level::debug:
      return spdlog::level::debug;
    case Level::info:
      return spdlog::level::info;
    case Level::warn:
      return spdlog::level::warn;
  }
  return spdlog::level::warn;
}

}  // namespace

void set_verbosity(int verbosity) {
  if (!spdlog::get("wharf")) {
    spdlog::set_default_logger(spdlog::stderr_logger_mt("wharf"));
  }
  spdlog::set_pattern("wharf: %l: %v");
  spdlog::set_level(verbosity >= 2   ? spdlog::level::debug
                    : verbosity == 1 ? spdlog::level::info
                                     : spdlog::level::warn);
}

bool enabled(Level level) noexcept {
  return spdlog::should_log(to_spdlog(level));
}

void write(Level level, std::string_view message) {
  spdlog::log(to_spdlog(level), "{}", message);
}

}  // namespace wharf::log
