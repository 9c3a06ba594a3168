#include "wharf/registry/auth_state.hpp"

namespace wharf::registry {

AuthState::AuthState(DockerConfig config, std::shared_ptr<CredentialHelper> helper)
    : config_(std::move(config)), helper_(std::move(helper)) {}

Result<FoundCredentials> AuthState::credentials_for(const RegistryHost& host) {
  if (const auto cached = credentials_.find(host.config_key); cached != credentials_.end()) {
    return cached->second;
  }
  FoundCredentials found;
  found.source.config_file = config_.file.string();
  const auto [kind, helper] = config_.helper_for(host.config_key);
  Result<FoundCredentials> result = found;
  if (kind != CredentialSource::Kind::none) {
    found.source.kind = kind;
    found.source.helper = helper;
    auto answer = helper_->get(helper, host.config_key);
    if (answer) {
      found.credentials = std::move(*answer);
      result = std::move(found);
    } else {
      result = std::unexpected(std::move(answer.error()));
    }
  } else if (const Credentials* stored = config_.find_auth(host.config_key)) {
    found.source.kind = CredentialSource::Kind::config_auths;
    if (!stored->empty()) {
      found.credentials = *stored;
    }
    result = std::move(found);
  }
  credentials_.emplace(host.config_key, result);
  return result;
}

const AuthChallenge* AuthState::known_challenge(const std::string& domain) const {
  const auto found = challenges_.find(domain);
  return found == challenges_.end() ? nullptr : &found->second;
}

void AuthState::remember_challenge(const std::string& domain, AuthChallenge challenge) {
  challenges_.insert_or_assign(domain, std::move(challenge));
}

std::optional<std::string> AuthState::token(const std::string& domain, const std::string& scope,
                                            std::chrono::steady_clock::time_point now) const {
  const auto found = tokens_.find({domain, scope});
  if (found == tokens_.end() || found->second.expires <= now) {
    return std::nullopt;
  }
  return found->second.value;
}

void AuthState::store_token(const std::string& domain, const std::string& scope, std::string token,
                            std::chrono::steady_clock::time_point expires) {
  tokens_.insert_or_assign({domain, scope}, Token{std::move(token), expires});
}

void AuthState::forget_token(const std::string& domain, const std::string& scope) {
  tokens_.erase({domain, scope});
}

}  // namespace wharf::registry
