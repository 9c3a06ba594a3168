#include "wharf/ssh/ssh_defaults.hpp"

#include <cstdlib>
#include <vector>

#include <pwd.h>
#include <unistd.h>

namespace wharf::ssh {

SshDefaults SshDefaults::from_process() {
  SshDefaults defaults;
  passwd entry{};
  passwd* found = nullptr;
  long size = ::sysconf(_SC_GETPW_R_SIZE_MAX);
  std::vector<char> buffer(size > 0 ? static_cast<std::size_t>(size) : 16384);
  if (::getpwuid_r(::getuid(), &entry, buffer.data(), buffer.size(), &found) == 0 &&
      found != nullptr) {
    defaults.local_user = found->pw_name != nullptr ? found->pw_name : "";
    defaults.home = found->pw_dir != nullptr ? found->pw_dir : "";
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    defaults.home = home;
  }
  if (defaults.local_user.empty()) {
    if (const char* user = std::getenv("USER"); user != nullptr) {
      defaults.local_user = user;
    }
  }
  return defaults;
}

}  // namespace wharf::ssh
