#include "wharf/registry/http_exchange.hpp"

#include <algorithm>
#include <cctype>

namespace wharf::registry {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

}  // namespace

std::optional<std::string> HttpResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) {
      return value;
    }
  }
  return std::nullopt;
}

std::string HttpResponse::joined_header(std::string_view name) const {
  std::string joined;
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) {
      if (!joined.empty()) {
        joined += ", ";
      }
      joined += value;
    }
  }
  return joined;
}

}  // namespace wharf::registry
