#include "wharf/registry/credentials.hpp"

namespace wharf::registry {

std::string CredentialSource::describe() const {
  switch (kind) {
    case Kind::none:
      return "no credentials (nothing for it in " + config_file + ")";
    case Kind::config_auths:
      return "the credentials in " + config_file + " \"auths\"";
    case Kind::creds_store:
      return "the credsStore \"" + helper + "\" (docker-credential-" + helper + ")";
    case Kind::cred_helper:
      return "the credHelper \"" + helper + "\" (docker-credential-" + helper + ")";
  }
  return {};
}

}  // namespace wharf::registry
