#include "wharf/core/quote.hpp"

#include <cstdio>

namespace wharf {

std::string quote_value(std::string_view text, std::size_t max_shown) {
  std::string out = "'";
  for (std::size_t i = 0; i < text.size() && i < max_shown; ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x20 || byte >= 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02X", static_cast<unsigned>(byte));
      out += escaped;
    } else {
      out += text[i];
    }
  }
  if (text.size() > max_shown) {
    out += "…";
  }
  out += '\'';
  return out;
}

}  // namespace wharf
