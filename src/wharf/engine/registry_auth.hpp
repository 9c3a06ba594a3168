#pragma once

#include <string>

namespace wharf::engine {

/// Credentials the engine passes on to a registry when pulling (the X-Registry-Auth header).
/// Either a user name and password or an identity token (from `docker login` with a
/// credential helper) — whatever the registry accepts.
struct RegistryAuth {
  std::string username;
  std::string password;
  std::string server_address;  ///< "registry.example.com:5000", as in the image name.
  std::string identity_token;
};

/// The X-Registry-Auth header value: the credentials as a JSON object, base64url-encoded
/// (RFC 4648 §5, with padding, as the docker CLI sends it). Empty fields are left out.
[[nodiscard]] std::string encode_registry_auth(const RegistryAuth& auth);

/// Plain base64url (RFC 4648 §5) with '=' padding.
[[nodiscard]] std::string base64url_encode(std::string_view bytes);

}  // namespace wharf::engine
