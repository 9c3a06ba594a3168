#include "wharf/ssh/authentication.hpp"

#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <libssh2.h>

#include "wharf/ssh/identity_file.hpp"
#include "wharf/ssh/target_name.hpp"

namespace wharf::ssh {
namespace {

struct AgentDeleter {
  void operator()(LIBSSH2_AGENT* agent) const {
    libssh2_agent_disconnect(agent);
    libssh2_agent_free(agent);
  }
};
using Agent = std::unique_ptr<LIBSSH2_AGENT, AgentDeleter>;

std::string last_error(LIBSSH2_SESSION* session) {
  char* message = nullptr;
  libssh2_session_last_error(session, &message, nullptr, 0);
  return message != nullptr && *message != '\0' ? message : "unknown libssh2 error";
}

// What authentication found out, for the final sentence.
struct Attempts {
  std::vector<std::string> tried;            // "agent key foo (refused)", "/k (refused)"
  std::vector<std::string> encrypted_files;  // skipped: only an agent could unlock them
  std::string agent_note;                    // why the agent was not used, if it was not
};

// A failure that is not "this key was refused": the connection broke or timed out.
std::optional<Error> connection_failure(LIBSSH2_SESSION* session, int rc, const std::string& who) {
  switch (rc) {
    case LIBSSH2_ERROR_TIMEOUT:
      return Error::make(ErrorKind::timeout,
                         "logging in as " + who + " timed out — is the host overloaded?");
    case LIBSSH2_ERROR_SOCKET_SEND:
    case LIBSSH2_ERROR_SOCKET_RECV:
    case LIBSSH2_ERROR_SOCKET_DISCONNECT:
    case LIBSSH2_ERROR_SOCKET_TIMEOUT:
      return Error::make(ErrorKind::unavailable, "the connection broke while logging in as " + who +
                                                     " (" + last_error(session) +
                                                     "); sshd may have given up after too many "
                                                     "keys (MaxAuthTries).");
    default:
      return std::nullopt;
  }
}

// Returns true when logged in; an error when the connection broke.
Result<bool> try_agent(LIBSSH2_SESSION* session, const std::string& user, const std::string& who,
                       Attempts& attempts) {
  const char* socket = std::getenv("SSH_AUTH_SOCK");
  if (socket == nullptr || *socket == '\0') {
    attempts.agent_note = "no ssh-agent (SSH_AUTH_SOCK is not set)";
    return false;
  }
  const Agent agent(libssh2_agent_init(session));
  if (!agent || libssh2_agent_connect(agent.get()) != 0 ||
      libssh2_agent_list_identities(agent.get()) != 0) {
    attempts.agent_note = "the ssh-agent at " + std::string(socket) + " did not answer";
    return false;
  }
  libssh2_agent_publickey* previous = nullptr;
  libssh2_agent_publickey* identity = nullptr;
  int keys = 0;
  while (libssh2_agent_get_identity(agent.get(), &identity, previous) == 0) {
    previous = identity;
    ++keys;
    const int rc = libssh2_agent_userauth(agent.get(), user.c_str(), identity);
    if (rc == 0) {
      return true;
    }
    if (auto failure = connection_failure(session, rc, who)) {
      return std::unexpected(std::move(*failure));
    }
    const std::string comment = identity->comment != nullptr && *identity->comment != '\0'
                                    ? identity->comment
                                    : "#" + std::to_string(keys);
    attempts.tried.push_back("agent key " + comment + " (refused)");
  }
  if (keys == 0) {
    attempts.agent_note = "the ssh-agent holds no keys";
  }
  return false;
}

Result<bool> try_file(LIBSSH2_SESSION* session, const std::string& user, const std::string& who,
                      const std::filesystem::path& file, Attempts& attempts) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(file, error)) {
    attempts.tried.push_back(file.string() + " (no such file)");
    return false;
  }
  if (private_key_file_is_encrypted(file)) {
    attempts.encrypted_files.push_back(file.string());
    attempts.tried.push_back(file.string() + " (encrypted, not tried)");
    return false;
  }
  // No public key file: libssh2 derives the public half from the private key.
  const int rc = libssh2_userauth_publickey_fromfile_ex(
      session, user.c_str(), static_cast<unsigned int>(user.size()), nullptr, file.c_str(), "");
  if (rc == 0) {
    return true;
  }
  if (auto failure = connection_failure(session, rc, who)) {
    return std::unexpected(std::move(*failure));
  }
  if (rc == LIBSSH2_ERROR_FILE) {
    attempts.tried.push_back(file.string() + " (unusable: " + last_error(session) + ")");
  } else {
    attempts.tried.push_back(file.string() + " (refused)");
  }
  return false;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    out += (out.empty() ? "" : ", ") + item;
  }
  return out;
}

Error refusal(const std::string& who, const std::string& host, const Attempts& attempts) {
  const std::string agent =
      attempts.agent_note.empty() ? "no ssh-agent key was accepted" : attempts.agent_note;
  if (!attempts.encrypted_files.empty()) {
    const std::string& file = attempts.encrypted_files.front();
    return Error::make(ErrorKind::permission,
                       "cannot log in as " + who + ": the key " + file +
                           " is protected by a passphrase, which wharf never asks for, and " +
                           agent + ". Load it into an agent with `ssh-add " + file +
                           "` (and make sure SSH_AUTH_SOCK is set where wharf runs), or use a "
                           "key without a passphrase. Keys tried: " +
                           join(attempts.tried) + ".");
  }
  if (attempts.tried.empty()) {
    return Error::make(ErrorKind::permission,
                       "cannot log in as " + who + ": there is no key to offer — " + agent +
                           ", and none of ~/.ssh/id_ed25519, id_ecdsa, id_rsa exists. Set "
                           "IdentityFile in ~/.ssh/config or load a key with ssh-add.");
  }
  return Error::make(ErrorKind::permission,
                     who + " refused the login. Keys tried: " + join(attempts.tried) + "; " +
                         agent +
                         ". Check the user name (User in ~/.ssh/config or user@ in the "
                         "address) and that one of these keys is in that user's "
                         "~/.ssh/authorized_keys on " +
                         host + ".");
}

}  // namespace

Result<void> authenticate(LIBSSH2_SESSION* session, const SshTarget& target) {
  const std::string user = login_user(target);
  const std::string who = user + "@" + describe_target(target);
  const char* methods =
      libssh2_userauth_list(session, user.c_str(), static_cast<unsigned int>(user.size()));
  if (methods == nullptr) {
    if (libssh2_userauth_authenticated(session) != 0) {
      return {};  // The server let us in without any credentials ("none").
    }
    const int rc = libssh2_session_last_errno(session);
    if (auto failure = connection_failure(session, rc, who)) {
      return std::unexpected(std::move(*failure));
    }
    return fail(ErrorKind::unavailable, "cannot ask " + describe_target(target) + " how " + user +
                                            " may log in: " + last_error(session) + ".");
  }
  if (std::string_view(methods).find("publickey") == std::string_view::npos) {
    return fail(ErrorKind::permission, describe_target(target) + " accepts only " + methods +
                                           " logins for " + user +
                                           ", but wharf logs in with keys only (ssh-agent or "
                                           "IdentityFile) — enable PubkeyAuthentication there.");
  }

  Attempts attempts;
  if (!target.identities_only) {
    auto done = try_agent(session, user, who, attempts);
    if (!done) {
      return std::unexpected(std::move(done.error()));
    }
    if (*done) {
      return {};
    }
  } else {
    attempts.agent_note = "the ssh-agent was not asked (IdentitiesOnly)";
  }
  const auto files = target.identity_files.empty() ? default_identity_files(home_directory())
                                                   : target.identity_files;
  for (const auto& file : files) {
    auto done = try_file(session, user, who, file, attempts);
    if (!done) {
      return std::unexpected(std::move(done.error()));
    }
    if (*done) {
      return {};
    }
  }
  return std::unexpected(refusal(who, target.host_name, attempts));
}

}  // namespace wharf::ssh
