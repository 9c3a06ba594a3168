#include "wharf/engine/registry_auth.hpp"

#include <string_view>

#include <nlohmann/json.hpp>

#include "wharf/core/encoding.hpp"

namespace wharf::engine {

std::string base64url_encode(std::string_view bytes) {
  return base64_encode(bytes, /*pad=*/true, Base64Alphabet::url);
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
