#include "wharf/core/json_text.hpp"

#include <cstdio>
#include <optional>

#include <nlohmann/json.hpp>

#include "wharf/core/utf8.hpp"

namespace wharf {
namespace {

struct InvalidString {
  std::string pointer;  // "/Cmd/2"
  std::size_t offset = 0;
  unsigned char byte = 0;
};

// Escapes a key for a JSON pointer (RFC 6901).
std::string pointer_token(const std::string& key) {
  std::string token;
  for (const char c : key) {
    token += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
  }
  return token;
}

std::optional<InvalidString> find_invalid(const nlohmann::json& value, const std::string& at) {
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    if (const auto offset = first_invalid_utf8(text)) {
      return InvalidString{at.empty() ? "/" : at, *offset,
                           static_cast<unsigned char>(text[*offset])};
    }
    return std::nullopt;
  }
  if (value.is_array()) {
    std::size_t index = 0;
    for (const auto& item : value) {
      if (auto found = find_invalid(item, at + "/" + std::to_string(index))) {
        return found;
      }
      ++index;
    }
  } else if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      if (const auto offset = first_invalid_utf8(key)) {
        return InvalidString{at + "/" + pointer_token(key), *offset,
                             static_cast<unsigned char>(key[*offset])};
      }
      if (auto found = find_invalid(item, at + "/" + pointer_token(key))) {
        return found;
      }
    }
  }
  return std::nullopt;
}

}  // namespace

std::string json_text(const nlohmann::json& document, JsonLayout layout) {
  return document.dump(layout == JsonLayout::indented ? 2 : -1, ' ', false,
                       nlohmann::json::error_handler_t::replace);
}

Result<std::string> json_request_body(const nlohmann::json& body) {
  if (const auto invalid = find_invalid(body, "")) {
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", invalid->byte);
    return fail(ErrorKind::invalid_input,
                "the value at " + invalid->pointer + " is not UTF-8 text (byte " + byte +
                    " at offset " + std::to_string(invalid->offset) +
                    "): the Engine API carries it as a JSON string, so it cannot reach the "
                    "container unchanged — pass UTF-8 text (encode binary data, e.g. as base64).");
  }
  return body.dump();
}

}  // namespace wharf
