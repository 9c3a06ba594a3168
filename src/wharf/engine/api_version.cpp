#include "wharf/engine/api_version.hpp"

#include <algorithm>
#include <charconv>

namespace wharf::engine {
namespace {

std::optional<int> parse_number(std::string_view text) {
  int value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end || value < 0) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

std::optional<ApiVersion> ApiVersion::parse(std::string_view text) {
  if (text.starts_with('v')) {
    text.remove_prefix(1);
  }
  const auto dot = text.find('.');
  if (dot == std::string_view::npos) {
    return std::nullopt;
  }
  const auto major = parse_number(text.substr(0, dot));
  const auto minor = parse_number(text.substr(dot + 1));
  if (!major || !minor) {
    return std::nullopt;
  }
  return ApiVersion{*major, *minor};
}

std::string ApiVersion::to_string() const {
  return std::to_string(major) + "." + std::to_string(minor);
}

std::string ApiVersion::path_prefix() const {
  return "/v" + to_string();
}

Result<ApiVersion> negotiate_api_version(std::optional<ApiVersion> server_max,
                                         std::optional<ApiVersion> server_min,
                                         std::string_view engine) {
  if (!server_max) {
    return fail(ErrorKind::unavailable,
                "the Docker engine at " + std::string(engine) +
                    " did not report its API version in the reply to /_ping; wharf needs an "
                    "engine with API " +
                    kMinimumApiVersion.to_string() + " (Docker 20.10) or newer.");
  }
  if (*server_max < kMinimumApiVersion) {
    return fail(ErrorKind::unavailable,
                "the Docker engine at " + std::string(engine) + " speaks API " +
                    server_max->to_string() + " at most, but wharf needs " +
                    kMinimumApiVersion.to_string() +
                    " (Docker 20.10) or newer — upgrade Docker on that host.");
  }
  auto chosen = std::min(*server_max, kMaximumApiVersion);
  // An engine that dropped the versions we know still answers in its oldest one, and the
  // Engine API keeps old fields working, so raising to its minimum beats refusing to talk.
  if (server_min && chosen < *server_min) {
    chosen = *server_min;
  }
  return chosen;
}

}  // namespace wharf::engine
