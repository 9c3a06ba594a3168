#include "wharf/engine/registry_auth.hpp"

#include <string_view>

#include <nlohmann/json.hpp>

namespace wharf::engine {

std::string base64url_encode(std::string_view bytes) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const auto n = (std::uint32_t{static_cast<unsigned char>(bytes[i])} << 16) |
                   (std::uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8) |
                   std::uint32_t{static_cast<unsigned char>(bytes[i + 2])};
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  const auto left = bytes.size() - i;
  if (left > 0) {
    auto n = std::uint32_t{static_cast<unsigned char>(bytes[i])} << 16;
    if (left == 2) {
      n |= std::uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8;
    }
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += left == 2 ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string encode_registry_auth(const RegistryAuth& auth) {
  nlohmann::json object = nlohmann::json::object();
  const auto put = [&object](const char* key, const std::string& value) {
    if (!value.empty()) {
      object[key] = value;
    }
  };
  put("username", auth.username);
  put("password", auth.password);
  put("serveraddress", auth.server_address);
  put("identitytoken", auth.identity_token);
  return base64url_encode(object.dump());
}

}  // namespace wharf::engine
