#include "wharf/registry/link_header.hpp"

#include <algorithm>
#include <cctype>

#include "wharf/core/strings.hpp"

namespace wharf::registry {
namespace {

// True when the space-separated relation types in `value` include "next".
bool has_next_relation(std::string_view value) {
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    value = value.substr(1, value.size() - 2);
  }
  while (!value.empty()) {
    const auto space = value.find(' ');
    if (iequals(value.substr(0, space), "next")) {
      return true;
    }
    if (space == std::string_view::npos) {
      break;
    }
    value.remove_prefix(space + 1);
  }
  return false;
}

}  // namespace

std::optional<std::string> next_link(std::string_view header) {
  std::size_t pos = 0;
  while (pos < header.size()) {
    const auto open = header.find('<', pos);
    if (open == std::string_view::npos) {
      return std::nullopt;
    }
    const auto close = header.find('>', open);
    if (close == std::string_view::npos) {
      return std::nullopt;
    }
    const auto url = header.substr(open + 1, close - open - 1);
    // The parameters run to the next link's '<' (a comma before it ends this link).
    auto params_end = header.find('<', close);
    if (params_end == std::string_view::npos) {
      params_end = header.size();
    }
    auto params = header.substr(close + 1, params_end - close - 1);
    while (!params.empty()) {
      const auto semicolon = params.find(';');
      auto param = trim(params.substr(0, semicolon));
      if (param.ends_with(',')) {
        param = trim(param.substr(0, param.size() - 1));
      }
      if (const auto equals = param.find('='); equals != std::string_view::npos) {
        if (iequals(trim(param.substr(0, equals)), "rel") &&
            has_next_relation(trim(param.substr(equals + 1)))) {
          return std::string(url);
        }
      }
      if (semicolon == std::string_view::npos) {
        break;
      }
      params.remove_prefix(semicolon + 1);
    }
    pos = params_end;
  }
  return std::nullopt;
}

Result<std::string> link_target_path(std::string_view base_url, std::string_view link) {
  if (link.starts_with('/') && !link.starts_with("//")) {
    return std::string(link);
  }
  // An absolute URL: its origin is everything before the first '/' after "scheme://".
  const auto scheme_end = link.find("://");
  if (scheme_end != std::string_view::npos) {
    const auto path_start = link.find('/', scheme_end + 3);
    const auto origin = link.substr(0, path_start);
    if (iequals(origin, base_url)) {
      return path_start == std::string_view::npos ? std::string("/")
                                                  : std::string(link.substr(path_start));
    }
  }
  return fail(ErrorKind::remote, "the registry at " + std::string(base_url) +
                                     " sent a next-page link to \"" + std::string(link) +
                                     "\", which is not on the same registry; wharf does not "
                                     "follow it.");
}

}  // namespace wharf::registry
