#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "wharf/core/error.hpp"
#include "wharf/registry/credentials.hpp"

namespace wharf::registry {

/// The directory the docker CLI keeps its config.json in: $DOCKER_CONFIG when set and not
/// empty, else ~/.docker.
[[nodiscard]] std::filesystem::path docker_config_directory();

/// The registry-related part of a docker CLI config.json: stored logins (`auths`), the
/// default credential store (`credsStore`) and per-registry helpers (`credHelpers`).
struct DockerConfig {
  std::filesystem::path file;  ///< The config.json this came from (it may not exist).
  /// `auths`, keyed as written ("127.0.0.1:5000", "https://index.docker.io/v1/"), with the
  /// base64 "auth" field already decoded into username and password.
  std::map<std::string, Credentials> auths;
  std::string creds_store;                          ///< `credsStore`, "" when unset.
  std::map<std::string, std::string> cred_helpers;  ///< `credHelpers`: key → helper name.

  /// Reads `directory`/config.json. A missing file is an empty config (docker's behaviour
  /// too); an unreadable or malformed one fails (see parse()), because guessing would send
  /// requests without the login the user set up.
  [[nodiscard]] static Result<DockerConfig> load(const std::filesystem::path& directory);

  /// Parses the text of a config.json; `file` is only used in messages. Fails with
  /// ErrorKind::invalid_input and a sentence naming file:line:column for invalid JSON, or
  /// the file and the auths key (never its value) for an "auth" that is not base64 of
  /// "user:password", or for fields of the wrong type.
  [[nodiscard]] static Result<DockerConfig> parse(std::string_view text,
                                                  const std::filesystem::path& file);

  /// The `auths` entry for `config_key`: the entry with exactly that key, else one whose key
  /// names the same host once a scheme and path are stripped ("https://host:5000/v1/" for
  /// "host:5000"), as the docker CLI matches them. nullptr when there is none.
  [[nodiscard]] const Credentials* find_auth(std::string_view config_key) const;

  /// The helper for `config_key`: its `credHelpers` entry, else `credsStore`, else "".
  /// The kind says which of the two applied (CredentialSource::Kind::none for neither).
  [[nodiscard]] std::pair<CredentialSource::Kind, std::string> helper_for(
      std::string_view config_key) const;
};

/// The host part of a config key or server URL: "https://index.docker.io/v1/" →
/// "index.docker.io", "127.0.0.1:5000" stays.
[[nodiscard]] std::string hostname_of_config_key(std::string_view key);

}  // namespace wharf::registry
