#include "wharf/ssh/known_hosts.hpp"

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>

#include <fcntl.h>
#include <libssh2.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wharf/core/encoding.hpp"
#include "wharf/ssh/identity_file.hpp"
#include "wharf/ssh/target_name.hpp"
#include "wharf/ssh/wire.hpp"
#include "wharf/util/fd.hpp"
#include "wharf/util/log.hpp"

namespace wharf::ssh {
namespace {

struct KnownHostsDeleter {
  void operator()(LIBSSH2_KNOWNHOSTS* hosts) const { libssh2_knownhost_free(hosts); }
};
using KnownHosts = std::unique_ptr<LIBSSH2_KNOWNHOSTS, KnownHostsDeleter>;

struct KeyType {
  int hostkey_type;        // LIBSSH2_HOSTKEY_TYPE_*
  int knownhost_type;      // LIBSSH2_KNOWNHOST_KEY_*
  const char* name;        // as known_hosts writes it
  const char* algorithms;  // what to offer in the handshake for it
};

// OpenSSH's order of preference.
constexpr std::array<KeyType, 5> kKeyTypes{{
    {LIBSSH2_HOSTKEY_TYPE_ED25519, LIBSSH2_KNOWNHOST_KEY_ED25519, "ssh-ed25519", "ssh-ed25519"},
    {LIBSSH2_HOSTKEY_TYPE_ECDSA_256, LIBSSH2_KNOWNHOST_KEY_ECDSA_256, "ecdsa-sha2-nistp256",
     "ecdsa-sha2-nistp256"},
    {LIBSSH2_HOSTKEY_TYPE_ECDSA_384, LIBSSH2_KNOWNHOST_KEY_ECDSA_384, "ecdsa-sha2-nistp384",
     "ecdsa-sha2-nistp384"},
    {LIBSSH2_HOSTKEY_TYPE_ECDSA_521, LIBSSH2_KNOWNHOST_KEY_ECDSA_521, "ecdsa-sha2-nistp521",
     "ecdsa-sha2-nistp521"},
    {LIBSSH2_HOSTKEY_TYPE_RSA, LIBSSH2_KNOWNHOST_KEY_SSHRSA, "ssh-rsa",
     "rsa-sha2-512,rsa-sha2-256,ssh-rsa"},
}};

const KeyType* key_type_for(int hostkey_type) {
  for (const auto& type : kKeyTypes) {
    if (type.hostkey_type == hostkey_type) {
      return &type;
    }
  }
  return nullptr;
}

enum class LineVerdict { no_entry, match, mismatch, revoked };

std::string_view trim_left(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  return text;
}

// "@revoked pattern type base64": refused whichever host it names, as OpenSSH does.
bool line_revokes(std::string_view line, const std::string& key_base64) {
  return line.starts_with("@revoked") && line.find(" " + key_base64) != std::string_view::npos;
}

// One known_hosts line at a time, each in a collection of its own: libssh2's readfile stops
// at the first line it cannot parse (a certificate authority, a security-key type), which
// would silently drop every entry after it, and only per-line checks can say which line
// holds a conflicting key.
LineVerdict check_line(LIBSSH2_SESSION* session, std::string_view line, const std::string& name,
                       const char* key, std::size_t key_length, int type_mask) {
  const KnownHosts hosts(libssh2_knownhost_init(session));
  if (!hosts || libssh2_knownhost_readline(hosts.get(), line.data(), line.size(),
                                           LIBSSH2_KNOWNHOST_FILE_OPENSSH) != 0) {
    return LineVerdict::no_entry;
  }
  libssh2_knownhost* entry = nullptr;
  switch (
      libssh2_knownhost_checkp(hosts.get(), name.c_str(), -1, key, key_length, type_mask, &entry)) {
    case LIBSSH2_KNOWNHOST_CHECK_MATCH:
      return LineVerdict::match;
    case LIBSSH2_KNOWNHOST_CHECK_MISMATCH:
      return LineVerdict::mismatch;
    default:
      return LineVerdict::no_entry;
  }
}

struct Location {
  std::filesystem::path file;
  std::size_t line = 0;
};

struct Verdict {
  bool matched = false;
  std::optional<Location> mismatch;
  std::optional<Location> revoked;
};

// Calls `visit(line_text, line_number)` for each line that may hold an entry.
template <typename Visit>
void for_each_entry_line(const std::filesystem::path& file, Visit&& visit) {
  std::ifstream in(file);
  std::string text;
  std::size_t number = 0;
  while (std::getline(in, text)) {
    ++number;
    const auto line = trim_left(text);
    if (line.empty() || line.front() == '#') {
      continue;
    }
    if (!visit(line, number)) {
      return;
    }
  }
}

Verdict check_files(LIBSSH2_SESSION* session, const std::vector<std::filesystem::path>& files,
                    const std::string& name, const char* key, std::size_t key_length,
                    int type_mask) {
  const std::string key_base64 = base64_encode(std::string_view(key, key_length));
  Verdict verdict;
  for (const auto& file : files) {
    for_each_entry_line(file, [&](std::string_view line, std::size_t number) {
      if (line_revokes(line, key_base64)) {
        verdict.revoked = Location{file, number};
        return false;
      }
      switch (check_line(session, line, name, key, key_length, type_mask)) {
        case LineVerdict::match:
          verdict.matched = true;
          break;
        case LineVerdict::mismatch:
          if (!verdict.mismatch) {
            verdict.mismatch = Location{file, number};
          }
          break;
        default:
          break;
      }
      return true;
    });
    if (verdict.revoked) {
      return verdict;
    }
  }
  return verdict;
}

std::string fingerprint_of(LIBSSH2_SESSION* session) {
  const char* hash = libssh2_hostkey_hash(session, LIBSSH2_HOSTKEY_HASH_SHA256);
  if (hash == nullptr) {
    return "(unknown fingerprint)";
  }
  return "SHA256:" + base64_encode(std::string_view(hash, 32), /*pad=*/false);
}

std::string join(const std::vector<std::filesystem::path>& files) {
  std::string out;
  for (const auto& file : files) {
    out += (out.empty() ? "" : ", ") + file.string();
  }
  return out;
}

Result<void> record_key(const std::filesystem::path& file, const std::string& line) {
  const auto directory = file.parent_path();
  std::error_code error;
  if (!directory.empty() && !std::filesystem::exists(directory, error)) {
    std::filesystem::create_directories(directory, error);
    if (!error) {
      std::filesystem::permissions(directory, std::filesystem::perms::owner_all, error);
    }
    if (error) {
      return fail(ErrorKind::io, "cannot create " + directory.string() +
                                     " to record a new SSH host key: " + error.message() + ".");
    }
  }
  const Fd fd(::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
  if (!fd) {
    return fail(ErrorKind::io, "cannot record the new SSH host key in " + file.string() + ": " +
                                   std::strerror(errno) + ".");
  }
  std::string text = line;
  // Never glue our entry onto a last line that lacks its newline.
  struct stat info {};
  if (::fstat(fd.get(), &info) == 0 && info.st_size > 0) {
    char last = '\n';
    if (::pread(fd.get(), &last, 1, info.st_size - 1) == 1 && last != '\n') {
      text.insert(text.begin(), '\n');
    }
  }
  if (::write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
    return fail(ErrorKind::io, "cannot record the new SSH host key in " + file.string() + ": " +
                                   std::strerror(errno) + ".");
  }
  return {};
}

}  // namespace

std::vector<std::filesystem::path> known_hosts_files(const SshTarget& target) {
  if (!target.known_hosts_files.empty()) {
    return target.known_hosts_files;
  }
  return {home_directory() / ".ssh" / "known_hosts"};
}

std::string known_hosts_name(std::string_view host, std::uint16_t port) {
  if (port == kDefaultSshPort) {
    return std::string(host);
  }
  return "[" + std::string(host) + "]:" + std::to_string(port);
}

std::string host_key_algorithm_preference(LIBSSH2_SESSION* session, const SshTarget& target) {
  const auto files = known_hosts_files(target);
  const std::string name = known_hosts_name(target.host_name, target.port);
  // A dummy key of each type: MISMATCH means known_hosts records a real key of that type.
  static constexpr char kDummy[] = "wharf";
  std::string recorded;
  std::string others;
  for (const auto& type : kKeyTypes) {
    const int mask =
        LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW | type.knownhost_type;
    const auto verdict = check_files(session, files, name, kDummy, sizeof kDummy - 1, mask);
    std::string& list = verdict.mismatch ? recorded : others;
    list += (list.empty() ? "" : ",") + std::string(type.algorithms);
  }
  if (recorded.empty()) {
    return others;
  }
  return others.empty() ? recorded : recorded + "," + others;
}

Result<void> verify_host_key(LIBSSH2_SESSION* session, const SshTarget& target) {
  const std::string where = describe_target(target);
  std::size_t key_length = 0;
  int hostkey_type = 0;
  const char* key = libssh2_session_hostkey(session, &key_length, &hostkey_type);
  const KeyType* type = key_type_for(hostkey_type);
  if (key == nullptr || type == nullptr) {
    return fail(ErrorKind::permission, "the SSH host " + where +
                                           " presented no host key of a type wharf can verify "
                                           "(ed25519, ecdsa or rsa); wharf did not log in.");
  }
  const auto files = known_hosts_files(target);
  const std::string name = known_hosts_name(target.host_name, target.port);
  const int type_mask =
      LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW | type->knownhost_type;
  const auto verdict = check_files(session, files, name, key, key_length, type_mask);
  const std::string fingerprint = fingerprint_of(session);

  if (verdict.revoked) {
    return fail(ErrorKind::permission,
                "the SSH host key of " + where + " (" + type->name + " " + fingerprint +
                    ") is marked @revoked in " + verdict.revoked->file.string() + ":" +
                    std::to_string(verdict.revoked->line) + "; wharf refuses to connect.");
  }
  if (verdict.matched) {
    return {};
  }
  if (verdict.mismatch) {
    const auto& recorded = *verdict.mismatch;
    return fail(ErrorKind::permission,
                "WARNING: the SSH host key of " + where + " has CHANGED. It now presents the " +
                    type->name + " key " + fingerprint + ", but " + recorded.file.string() + ":" +
                    std::to_string(recorded.line) + " records a different " + type->name +
                    " key for " + name +
                    ". Someone may be intercepting the connection (a man-in-the-middle attack), "
                    "or the host was reinstalled. wharf refused to connect and did not log in. "
                    "If the change is expected, remove the old entry with `ssh-keygen -R '" +
                    name + "' -f " + recorded.file.string() + "` and connect again.");
  }
  if (target.host_key_policy == HostKeyPolicy::strict) {
    return fail(ErrorKind::permission,
                "the SSH host " + where + " is not known: " + join(files) + " records no " +
                    type->name + " key for " + name + ". It presents the " + type->name + " key " +
                    fingerprint +
                    ". If that is the host's key, accept it with --accept-new-host-keys (or "
                    "`StrictHostKeyChecking accept-new` in ~/.ssh/config), which records it in " +
                    files.front().string() + ".");
  }
  const std::string line =
      name + " " + type->name + " " + base64_encode(std::string_view(key, key_length)) + "\n";
  auto recorded = record_key(files.front(), line);
  if (recorded) {
    log::info("ssh: recorded the new {} key {} of {} in {}", type->name, fingerprint, where,
              files.front().string());
  }
  return recorded;
}

}  // namespace wharf::ssh
