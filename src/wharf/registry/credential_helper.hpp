#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "wharf/core/error.hpp"
#include "wharf/registry/credentials.hpp"
#include "wharf/registry/registry_defaults.hpp"

namespace wharf::registry {

/// The docker credential-helper protocol's `get`: a program `docker-credential-<name>` reads
/// a server URL on stdin and prints `{"ServerURL":…,"Username":…,"Secret":…}`. An interface so
/// that tests of credential lookup can answer without a program.
class CredentialHelper {
 public:
  virtual ~CredentialHelper() = default;

  /// The credentials helper `name` holds for `server_url` ("127.0.0.1:5000",
  /// "https://index.docker.io/v1/"), nullopt when it has none. Fails with a sentence naming
  /// the program when it cannot be run, times out, or answers something else.
  [[nodiscard]] virtual Result<std::optional<Credentials>> get(const std::string& name,
                                                               const std::string& server_url) = 0;
};

/// Runs `docker-credential-<name> get` found on PATH, without a shell (util/process).
[[nodiscard]] std::shared_ptr<CredentialHelper> make_process_credential_helper(
    std::chrono::milliseconds timeout = kCredentialHelperTimeout);

/// Interprets what `docker-credential-<name> get` did: exit 0 with the JSON answer gives
/// credentials (a Username of "<token>" means the Secret is an identity token); a non-zero
/// exit whose output says "credentials not found" gives nullopt; anything else fails with
/// ErrorKind::remote naming the program and its first line of output (helpers report
/// errors on stdout). Never puts the Secret into a message.
[[nodiscard]] Result<std::optional<Credentials>> parse_credential_helper_answer(
    std::string_view name, int exit_code, std::string_view standard_output,
    std::string_view standard_error);

}  // namespace wharf::registry
