#include "wharf/core/image_reference_grammar.hpp"

#include <algorithm>
#include <vector>

#include "wharf/core/image_reference.hpp"
#include "wharf/core/quote.hpp"
#include "wharf/core/strings.hpp"
#include "wharf/core/wording.hpp"

namespace wharf::reference_grammar {
namespace {

constexpr std::size_t kMaxTagLength = 128;
constexpr std::size_t kMinDigestHexLength = 32;
constexpr std::string_view kPathRule =
    "path components may only use lowercase letters and digits, joined by '.', '_', '__' or "
    "dashes (for example my-app or web_api)";

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

bool is_lower_alnum(char c) noexcept {
  return is_digit(c) || (c >= 'a' && c <= 'z');
}

bool is_upper(char c) noexcept {
  return c >= 'A' && c <= 'Z';
}

bool is_letter(char c) noexcept {
  return (c >= 'a' && c <= 'z') || is_upper(c);
}

bool is_alnum(char c) noexcept {
  return is_digit(c) || is_letter(c);
}

bool is_word(char c) noexcept {
  return is_alnum(c) || c == '_';
}

bool is_hex(char c) noexcept {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// [a-zA-Z0-9] or [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]
bool is_domain_component(std::string_view component) noexcept {
  return !component.empty() && is_alnum(component.front()) && is_alnum(component.back()) &&
         std::ranges::all_of(component, [](char c) { return is_alnum(c) || c == '-'; });
}

// [a-z0-9]+ ( ( '.' | '_' | '__' | '-'+ ) [a-z0-9]+ )*
bool is_path_component(std::string_view component) noexcept {
  std::size_t i = 0;
  const auto alnum_run = [&] {
    const auto start = i;
    while (i < component.size() && is_lower_alnum(component[i])) {
      ++i;
    }
    return i > start;
  };
  if (!alnum_run()) {
    return false;
  }
  while (i < component.size()) {
    const char separator = component[i];
    if (separator == '.') {
      ++i;
    } else if (separator == '_') {
      i += component.substr(i, 2) == "__" ? 2 : 1;
    } else if (separator == '-') {
      while (i < component.size() && component[i] == '-') {
        ++i;
      }
    } else {
      return false;
    }
    if (!alnum_run()) {
      return false;
    }
  }
  return true;
}

// [A-Za-z][A-Za-z0-9]* runs joined by one of "+.-_".
bool is_digest_algorithm(std::string_view algorithm) noexcept {
  std::size_t i = 0;
  while (true) {
    if (i >= algorithm.size() || !is_letter(algorithm[i])) {
      return false;
    }
    while (i < algorithm.size() && is_alnum(algorithm[i])) {
      ++i;
    }
    if (i == algorithm.size()) {
      return true;
    }
    if (std::string_view("+.-_").find(algorithm[i]) == std::string_view::npos) {
      return false;
    }
    ++i;
  }
}

}  // namespace

bool looks_like_domain(std::string_view first_component) noexcept {
  return first_component.find_first_of(".:") != std::string_view::npos ||
         first_component == "localhost";
}

std::optional<std::string> domain_problem(std::string_view domain) {
  std::optional<std::string_view> port;
  if (domain.starts_with('[')) {
    const auto close = domain.find(']');
    if (close == std::string_view::npos) {
      return "the registry " + quote_value(domain) +
             " opens an IPv6 address with '[' but has no ']'";
    }
    const auto address = domain.substr(1, close - 1);
    if (address.empty() ||
        !std::ranges::all_of(address, [](char c) { return is_hex(c) || c == ':'; })) {
      return "the registry " + quote_value(domain) + " has an invalid IPv6 address " +
             quote_value(address) + "; write hex digits and colons in brackets, such as [::1]:5000";
    }
    const auto after = domain.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        return "the registry " + quote_value(domain) + " has " + quote_value(after) +
               " after the IPv6 address where only :PORT may follow";
      }
      port = after.substr(1);
    }
  } else {
    const auto colon = domain.find(':');
    const auto host = domain.substr(0, colon);
    if (colon != std::string_view::npos) {
      port = domain.substr(colon + 1);
    }
    for (const auto component : split(host, '.')) {
      if (!is_domain_component(component)) {
        return "the registry host " + quote_value(host) +
               " is not a valid host name: its dot-separated parts may only use letters, digits "
               "and '-' inside (" +
               (component.empty() ? std::string("found an empty part") : quote_value(component)) +
               ")";
      }
    }
  }
  if (port && (port->empty() || !std::ranges::all_of(*port, is_digit))) {
    return "the registry port " + quote_value(*port) + " in " + quote_value(domain) +
           " is not a number; write HOST:PORT such as localhost:5000";
  }
  return std::nullopt;
}

std::optional<std::string> path_problem(std::string_view path) {
  if (path.empty()) {
    return "the repository name is missing";
  }
  if (std::ranges::any_of(path, is_upper)) {
    std::string lower(path);
    std::ranges::transform(lower, lower.begin(), [](char c) {
      return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c;
    });
    return "repository name must be lowercase (found " + quote_value(path) + ", use " +
           quote_value(lower) + ")";
  }
  for (const auto component : split(path, '/')) {
    if (component.empty()) {
      return "the repository path " + quote_value(path) +
             " has an empty component; separate components with single '/' and do not start "
             "or end with '/'";
    }
    if (!is_path_component(component)) {
      return "the path component " + quote_value(component) +
             " is not valid: " + std::string(kPathRule);
    }
  }
  return std::nullopt;
}

std::optional<std::string> tag_problem(std::string_view tag) {
  if (wharf::is_valid_image_tag(tag)) {
    return std::nullopt;
  }
  if (tag.empty()) {
    return std::string("the tag after ':' is empty");
  }
  if (tag.size() > kMaxTagLength) {
    return "the tag " + quote_value(tag) + " is " + std::to_string(tag.size()) +
           " characters long; a tag has at most 128";
  }
  if (!is_word(tag.front())) {
    return "the tag " + quote_value(tag) + " starts with " + quote_value(tag.substr(0, 1)) +
           "; a tag must start with a letter, a digit or '_'";
  }
  const auto bad =
      *std::ranges::find_if_not(tag, [](char c) { return is_word(c) || c == '.' || c == '-'; });
  std::string problem = "the tag " + quote_value(tag) + " contains " +
                        quote_value(std::string_view(&bad, 1)) +
                        "; a tag may only use letters, digits, '_', '.' and '-'";
  if (bad == '+') {
    problem += " (write a semantic version's '+' as '_', as in 1.2.3_build.7)";
  }
  return problem;
}

std::optional<std::string> digest_problem(std::string_view digest) {
  constexpr std::string_view kForm = "; a digest looks like sha256:<64 hex digits>";
  if (digest.empty()) {
    return "the digest after '@' is empty" + std::string(kForm);
  }
  const auto colon = digest.find(':');
  if (colon == std::string_view::npos) {
    return "the digest " + quote_value(digest) + " has no ':' after its algorithm" +
           std::string(kForm);
  }
  const auto algorithm = digest.substr(0, colon);
  const auto hex = digest.substr(colon + 1);
  if (!is_digest_algorithm(algorithm)) {
    return "the digest algorithm " + quote_value(algorithm) + " is not valid" + std::string(kForm);
  }
  if (const auto bad = std::ranges::find_if_not(hex, is_hex); bad != hex.end()) {
    return "the digest " + quote_value(digest) + " contains " +
           quote_value(std::string_view(bad, 1)) +
           " where only hex digits may follow the algorithm" + std::string(kForm);
  }
  std::size_t required = 0;
  if (algorithm == "sha256") {
    required = 64;
  } else if (algorithm == "sha384") {
    required = 96;
  } else if (algorithm == "sha512") {
    required = 128;
  }
  if (required != 0 && hex.size() != required) {
    return "the " + std::string(algorithm) + " digest " + quote_value(digest) + " has " +
           counted(hex.size(), "hex digit") + " instead of " + std::to_string(required);
  }
  if (hex.size() < kMinDigestHexLength) {
    return "the digest " + quote_value(digest) + " has " + counted(hex.size(), "hex digit") +
           "; a digest has at least 32";
  }
  return std::nullopt;
}

}  // namespace wharf::reference_grammar

namespace wharf {

// Declared with ImageReference, whose users need it; defined here with the rest of the grammar.
bool is_valid_image_tag(std::string_view tag) noexcept {
  return !tag.empty() && tag.size() <= reference_grammar::kMaxTagLength &&
         reference_grammar::is_word(tag.front()) && std::ranges::all_of(tag, [](char c) {
           return reference_grammar::is_word(c) || c == '.' || c == '-';
         });
}

}  // namespace wharf
