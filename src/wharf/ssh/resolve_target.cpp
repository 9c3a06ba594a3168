#include "wharf/ssh/resolve_target.hpp"

#include <algorithm>
#include <map>

#include <arpa/inet.h>

#include "wharf/core/strings.hpp"
#include "wharf/core/wording.hpp"
#include "wharf/ssh/path_expansion.hpp"

namespace wharf::ssh {
namespace {

template <typename T>
struct Obtained {
  T value;
  SourceLocation where;
};

// The values the applying blocks give for one host, each with the line it came from.
struct ConfigValues {
  std::optional<Obtained<std::string>> host_name;
  std::optional<Obtained<std::string>> user;
  std::optional<Obtained<std::uint16_t>> port;
  std::vector<Obtained<std::string>> identity_files;
  std::optional<Obtained<bool>> identities_only;
  std::optional<Obtained<std::vector<std::string>>> known_hosts_files;
  std::optional<Obtained<HostKeyPolicy>> host_key_policy;
  std::optional<Obtained<std::chrono::seconds>> connect_timeout;
};

template <typename T>
void keep_first(std::optional<Obtained<T>>& slot, const SshSetting& setting) {
  if (!slot) {
    slot = Obtained<T>{std::get<T>(setting.value), setting.where};
  }
}

ConfigValues collect(const SshConfig& config, std::string_view alias) {
  ConfigValues values;
  std::vector<std::optional<bool>> applies(config.blocks.size());
  for (const auto& setting : config.settings) {
    auto& block_applies = applies.at(setting.block);
    if (!block_applies) {
      block_applies = config.block_applies(setting.block, alias);
    }
    if (!*block_applies) {
      continue;
    }
    switch (setting.keyword) {
      case SshKeyword::host_name:
        keep_first(values.host_name, setting);
        break;
      case SshKeyword::user:
        keep_first(values.user, setting);
        break;
      case SshKeyword::port:
        keep_first(values.port, setting);
        break;
      case SshKeyword::identities_only:
        keep_first(values.identities_only, setting);
        break;
      case SshKeyword::user_known_hosts_file:
        keep_first(values.known_hosts_files, setting);
        break;
      case SshKeyword::strict_host_key_checking:
        keep_first(values.host_key_policy, setting);
        break;
      case SshKeyword::connect_timeout:
        keep_first(values.connect_timeout, setting);
        break;
      case SshKeyword::identity_file:
        values.identity_files.push_back({std::get<std::string>(setting.value), setting.where});
        break;
      case SshKeyword::include:
        break;  // Only load_ssh_config() follows Include; a bare parse leaves it inert.
    }
  }
  return values;
}

bool is_ip_address(const std::string& text) {
  unsigned char buffer[16];
  return ::inet_pton(AF_INET, text.c_str(), buffer) == 1 ||
         ::inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

std::unexpected<Error> bad_expansion(const std::string& subject, const std::string& value,
                                     const std::string& why) {
  return fail(ErrorKind::invalid_input,
              subject + " \"" + value + "\" cannot be expanded: " + sentence(why));
}

// Expands one file name and appends it unless already listed (offering a key or reading a
// known_hosts file twice would only cost time). `~` goes first, then % tokens: the order ssh
// uses, so "%d" is never taken for a tilde.
Result<void> add_path(std::vector<std::filesystem::path>& paths, const std::string& value,
                      const std::string& subject, const std::map<char, std::string>& tokens,
                      const SshDefaults& defaults) {
  auto tilde = expand_tilde(value, defaults.home);
  if (!tilde) {
    return bad_expansion(subject, value, tilde.error());
  }
  auto expanded = expand_percent(*tilde, tokens);
  if (!expanded) {
    return bad_expansion(subject, value, expanded.error());
  }
  std::filesystem::path path(std::move(*expanded));
  if (std::ranges::find(paths, path) == paths.end()) {
    paths.push_back(std::move(path));
  }
  return {};
}

Result<std::vector<std::filesystem::path>> identity_files(const SshOverrides& explicit_values,
                                                          const ConfigValues& values,
                                                          const std::string& alias,
                                                          const std::map<char, std::string>& tokens,
                                                          const SshDefaults& defaults) {
  std::vector<std::filesystem::path> paths;
  for (const auto& file : explicit_values.identity_files) {
    if (auto added = add_path(paths, file.string(), "the identity file given for " + alias, tokens,
                              defaults);
        !added) {
      return std::unexpected(std::move(added.error()));
    }
  }
  for (const auto& file : values.identity_files) {
    if (ascii_lower(file.value) == "none") {
      continue;
    }
    if (auto added = add_path(paths, file.value, file.where.to_string() + ": IdentityFile", tokens,
                              defaults);
        !added) {
      return std::unexpected(std::move(added.error()));
    }
  }
  return paths;
}

Result<std::vector<std::filesystem::path>> known_hosts_files(
    const SshOverrides& explicit_values, const ConfigValues& values, const std::string& alias,
    const std::map<char, std::string>& tokens, const SshDefaults& defaults) {
  std::vector<std::filesystem::path> paths;
  for (const auto& file : explicit_values.known_hosts_files) {
    if (auto added = add_path(paths, file.string(), "the known_hosts file given for " + alias,
                              tokens, defaults);
        !added) {
      return std::unexpected(std::move(added.error()));
    }
  }
  if (!values.known_hosts_files) {
    if (auto added =
            add_path(paths, "~/.ssh/known_hosts", "the default known_hosts file", tokens, defaults);
        !added) {
      return std::unexpected(std::move(added.error()));
    }
    return paths;
  }
  const auto subject = values.known_hosts_files->where.to_string() + ": UserKnownHostsFile";
  for (const auto& file : values.known_hosts_files->value) {
    // "none" reads nothing and records nothing; /dev/null does exactly that.
    const auto& name = ascii_lower(file) == "none" ? std::string("/dev/null") : file;
    if (auto added = add_path(paths, name, subject, tokens, defaults); !added) {
      return std::unexpected(std::move(added.error()));
    }
  }
  return paths;
}

}  // namespace

Result<SshTarget> resolve_ssh_target(const SshConfig& config, std::string_view alias,
                                     const SshOverrides& explicit_values,
                                     const SshDefaults& defaults) {
  if (alias.empty()) {
    return fail(ErrorKind::invalid_input,
                "an SSH host name is empty — name a host or an ssh_config alias.");
  }
  const auto values = collect(config, alias);
  SshTarget target;
  target.alias = std::string(alias);

  target.host_name = target.alias;
  if (values.host_name) {
    auto expanded = expand_percent(values.host_name->value, {{'h', target.alias}});
    if (!expanded) {
      return bad_expansion(values.host_name->where.to_string() + ": HostName",
                           values.host_name->value, expanded.error());
    }
    target.host_name = std::move(*expanded);
  }
  if (!is_ip_address(target.host_name)) {
    target.host_name = ascii_lower(std::move(target.host_name));
  }

  target.user = explicit_values.user ? *explicit_values.user
                : values.user        ? values.user->value
                                     : defaults.local_user;
  target.port = explicit_values.port ? *explicit_values.port
                : values.port        ? values.port->value
                                     : kDefaultSshPort;

  const std::map<char, std::string> tokens{
      {'d', defaults.home.string()},      {'h', target.host_name}, {'n', target.alias},
      {'p', std::to_string(target.port)}, {'r', target.user},      {'u', defaults.local_user}};
  auto identities = identity_files(explicit_values, values, target.alias, tokens, defaults);
  if (!identities) {
    return std::unexpected(std::move(identities.error()));
  }
  target.identity_files = std::move(*identities);
  target.identities_only = values.identities_only && values.identities_only->value;
  auto known_hosts = known_hosts_files(explicit_values, values, target.alias, tokens, defaults);
  if (!known_hosts) {
    return std::unexpected(std::move(known_hosts.error()));
  }
  target.known_hosts_files = std::move(*known_hosts);

  target.host_key_policy = explicit_values.host_key_policy ? *explicit_values.host_key_policy
                           : values.host_key_policy        ? values.host_key_policy->value
                                                           : HostKeyPolicy::strict;
  if (explicit_values.connect_timeout) {
    target.connect_timeout = *explicit_values.connect_timeout;
  } else if (values.connect_timeout && values.connect_timeout->value.count() > 0) {
    target.connect_timeout = values.connect_timeout->value;
  }
  return target;
}

}  // namespace wharf::ssh
