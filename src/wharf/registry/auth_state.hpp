#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "wharf/core/error.hpp"
#include "wharf/registry/auth_challenge.hpp"
#include "wharf/registry/credential_helper.hpp"
#include "wharf/registry/credentials.hpp"
#include "wharf/registry/docker_config.hpp"
#include "wharf/registry/registry_host.hpp"

namespace wharf::registry {

/// The credentials found for a registry and where they were looked for.
struct FoundCredentials {
  std::optional<Credentials> credentials;  ///< nullopt: anonymous.
  CredentialSource source;
};

/// What a registry client remembers between requests: the credentials of each registry
/// (looked up once — a credential helper is a process), which scheme each registry asked
/// for (so later requests authenticate without first being refused), and the bearer tokens
/// issued per repository scope until they expire. Not thread-safe; one per client.
class AuthState {
 public:
  AuthState(DockerConfig config, std::shared_ptr<CredentialHelper> helper);

  /// The credentials for `host`, as the docker CLI finds them: its credHelpers entry, else
  /// the credsStore, else config.json "auths" (when a helper applies, auths is not read).
  /// Looked up on first use and cached, failures included, so that a broken helper is run
  /// once, not once per image.
  [[nodiscard]] Result<FoundCredentials> credentials_for(const RegistryHost& host);

  /// The challenge `domain` answered last time, if any.
  [[nodiscard]] const AuthChallenge* known_challenge(const std::string& domain) const;
  void remember_challenge(const std::string& domain, AuthChallenge challenge);

  /// A bearer token for `scope` on `domain` that has not expired at `now`.
  [[nodiscard]] std::optional<std::string> token(const std::string& domain,
                                                 const std::string& scope,
                                                 std::chrono::steady_clock::time_point now) const;
  void store_token(const std::string& domain, const std::string& scope, std::string token,
                   std::chrono::steady_clock::time_point expires);
  void forget_token(const std::string& domain, const std::string& scope);

  [[nodiscard]] const DockerConfig& config() const noexcept { return config_; }

 private:
  struct Token {
    std::string value;
    std::chrono::steady_clock::time_point expires;
  };
  DockerConfig config_;
  std::shared_ptr<CredentialHelper> helper_;
  std::map<std::string, Result<FoundCredentials>> credentials_;  // By config key.
  std::map<std::string, AuthChallenge> challenges_;              // By domain.
  std::map<std::pair<std::string, std::string>, Token> tokens_;  // By (domain, scope).
};

}  // namespace wharf::registry
