#pragma once

#include <string>

namespace wharf::registry {

/// What a registry login consists of: a user name and password, or an identity token (an
/// OAuth refresh token that `docker login` stores for some registries). These values are
/// secrets: nothing in wharf prints or logs them, which is why this type has no operator<<.
struct Credentials {
  std::string username;
  std::string password;
  std::string identity_token;

  /// True when there is nothing to log in with.
  [[nodiscard]] bool empty() const noexcept {
    return username.empty() && password.empty() && identity_token.empty();
  }
};

/// Where credentials for a registry were looked for, so that a refusal can say which source
/// was tried ("none" means: no source in config.json applies to this registry).
struct CredentialSource {
  enum class Kind { none, config_auths, creds_store, cred_helper };
  Kind kind = Kind::none;
  std::string helper;       ///< The helper name for creds_store and cred_helper ("desktop").
  std::string config_file;  ///< The config.json that was read (may not exist).

  /// A phrase for messages: `no credentials (nothing for it in /root/.docker/config.json)`,
  /// `the credentials in /root/.docker/config.json "auths"`,
  /// `the credsStore "desktop" (docker-credential-desktop)`,
  /// `the credHelper "ecr-login" (docker-credential-ecr-login)`.
  [[nodiscard]] std::string describe() const;
};

}  // namespace wharf::registry
