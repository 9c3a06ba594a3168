#include "wharf/registry/credential_helper.hpp"

#include <nlohmann/json.hpp>

#include "wharf/core/wording.hpp"
#include "wharf/util/process.hpp"

namespace wharf::registry {
namespace {

std::string program_of(std::string_view name) {
  return "docker-credential-" + std::string(name);
}

std::string first_line(std::string_view text) {
  while (!text.empty() && (text.front() == '\n' || text.front() == ' ')) {
    text.remove_prefix(1);
  }
  text = text.substr(0, text.find('\n'));
  constexpr std::size_t kMaxShown = 200;
  return std::string(text.substr(0, kMaxShown));
}

class ProcessCredentialHelper final : public CredentialHelper {
 public:
  explicit ProcessCredentialHelper(std::chrono::milliseconds timeout) : timeout_(timeout) {}

  Result<std::optional<Credentials>> get(const std::string& name,
                                         const std::string& server_url) override {
    // The name comes from config.json; with a '/' execvp would run an arbitrary path.
    if (name.empty() || name.find('/') != std::string::npos) {
      return fail(ErrorKind::invalid_input,
                  "\"" + name +
                      "\" is not a credential helper name (config.json credsStore or "
                      "credHelpers): it must be the part after docker-credential-.");
    }
    ProcessSpec spec;
    spec.argv = {program_of(name), "get"};
    spec.standard_input = server_url;
    spec.timeout = timeout_;
    auto finished = run_process(spec);
    if (!finished) {
      return fail(finished.error().kind,
                  "cannot run the credential helper " + program_of(name) + " for " + server_url +
                      ": " + std::string(clause(finished.error().message)) +
                      " — install it on PATH or remove it from config.json.");
    }
    return parse_credential_helper_answer(name, finished->exit_code, finished->standard_output,
                                          finished->standard_error);
  }

 private:
  std::chrono::milliseconds timeout_;
};

}  // namespace

std::shared_ptr<CredentialHelper> make_process_credential_helper(
    std::chrono::milliseconds timeout) {
  return std::make_shared<ProcessCredentialHelper>(timeout);
}

Result<std::optional<Credentials>> parse_credential_helper_answer(std::string_view name,
                                                                  int exit_code,
                                                                  std::string_view standard_output,
                                                                  std::string_view standard_error) {
  if (exit_code != 0) {
    // docker-credential-helpers' ErrCredentialsNotFound text; docker treats it as "no login".
    const bool not_found = standard_output.find("credentials not found") != std::string::npos ||
                           standard_error.find("credentials not found") != std::string::npos;
    if (not_found) {
      return std::nullopt;
    }
    const auto said = first_line(standard_output.empty() ? standard_error : standard_output);
    return fail(ErrorKind::remote, "the credential helper " + program_of(name) + " failed (exit " +
                                       std::to_string(exit_code) + ")" +
                                       (said.empty() ? std::string() : ": " + said) + ".");
  }
  const auto answer = nlohmann::json::parse(standard_output, nullptr, false);
  const auto text = [&answer](const char* field) {
    const auto found = answer.find(field);
    return found != answer.end() && found->is_string() ? found->get<std::string>() : std::string();
  };
  if (!answer.is_object() || !answer.contains("Secret")) {
    return fail(ErrorKind::remote, "the credential helper " + program_of(name) +
                                       " answered something other than "
                                       "{\"Username\":…,\"Secret\":…}.");
  }
  Credentials credentials;
  if (text("Username") == "<token>") {
    credentials.identity_token = text("Secret");
  } else {
    credentials.username = text("Username");
    credentials.password = text("Secret");
  }
  if (credentials.empty()) {
    return std::nullopt;
  }
  return credentials;
}

}  // namespace wharf::registry
