#include "wharf/runtime/system_probe.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <system_error>

namespace wharf::runtime {

SystemProbe SystemProbe::real() {
  return SystemProbe{.root = "/",
                     .getenv = [](std::string_view name) -> std::optional<std::string> {
                       const char* value = std::getenv(std::string(name).c_str());
                       return value == nullptr ? std::nullopt : std::optional<std::string>(value);
                     },
                     .run = [](const ProcessSpec& spec) { return run_process(spec); }};
}

std::filesystem::path SystemProbe::path(std::string_view absolute) const {
  return root / std::filesystem::path(absolute).relative_path();
}

std::optional<std::string> SystemProbe::read(std::string_view absolute) const {
  std::ifstream file(path(absolute), std::ios::binary);
  if (!file) {
    return std::nullopt;
  }
  std::ostringstream content;
  content << file.rdbuf();
  return content.str();
}

bool SystemProbe::exists(std::string_view absolute) const {
  std::error_code error;
  return std::filesystem::exists(path(absolute), error);
}

}  // namespace wharf::runtime
