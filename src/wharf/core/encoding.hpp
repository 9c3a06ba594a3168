#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace wharf {

// Text encodings more than one protocol needs: base64 (OpenSSH key files and fingerprints,
// registry Basic auth and config.json, the engine's X-Registry-Auth) and URL percent-encoding
// (engine query strings, registry token requests).

enum class Base64Alphabet {
  standard,  ///< RFC 4648 §4: '+' and '/'.
  url,       ///< RFC 4648 §5: '-' and '_' (the engine's X-Registry-Auth header).
};

/// Base64 of `bytes`. `pad` adds '=' to a multiple of four characters; OpenSSH fingerprints
/// ("SHA256:…") are written without it.
[[nodiscard]] std::string base64_encode(std::string_view bytes, bool pad = true,
                                        Base64Alphabet alphabet = Base64Alphabet::standard);

/// Decodes standard base64, ignoring whitespace and accepting missing padding; nullopt on
/// any other character.
[[nodiscard]] std::optional<std::string> base64_decode(std::string_view text);

/// Percent-encodes everything but RFC 3986's unreserved characters (letters, digits,
/// "-._~"), for a query-string value.
[[nodiscard]] std::string percent_encode(std::string_view text);

}  // namespace wharf
