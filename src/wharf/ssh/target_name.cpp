#include "wharf/ssh/target_name.hpp"

#include "wharf/ssh/identity_file.hpp"

namespace wharf::ssh {

std::string describe_target(const SshTarget& target) {
  const std::string port = "port " + std::to_string(target.port);
  if (target.alias.empty() || target.alias == target.host_name) {
    return target.host_name + " (" + port + ")";
  }
  return target.alias + " (" + target.host_name + ", " + port + ")";
}

std::string login_user(const SshTarget& target) {
  return target.user.empty() ? local_user_name() : target.user;
}

}  // namespace wharf::ssh
