#include "wharf/registry/docker_config.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>
#include <pwd.h>
#include <unistd.h>

#include "wharf/core/encoding.hpp"

namespace wharf::registry {
namespace {

using nlohmann::json;

std::filesystem::path home_directory() {
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    return home;
  }
  if (const passwd* entry = ::getpwuid(::getuid()); entry != nullptr && entry->pw_dir) {
    return entry->pw_dir;
  }
  return "/";
}

// "file:line:column" for a byte offset, so a JSON mistake can be found in an editor.
std::string location(std::string_view text, std::size_t byte, const std::filesystem::path& file) {
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return file.string() + ":" + std::to_string(line) + ":" + std::to_string(column);
}

// nlohmann's message without its prefix and without "last read: '…'", which quotes the file
// and so could quote a password.
std::string describe_parse_error(std::string_view what) {
  what = what.substr(0, what.find("; last read"));
  if (const auto column = what.find("column "); column != std::string_view::npos) {
    if (const auto colon = what.find(": ", column); colon != std::string_view::npos) {
      what.remove_prefix(colon + 2);
    }
  }
  return std::string(what);
}

std::unexpected<Error> wrong_type(const std::filesystem::path& file, const std::string& field,
                                  const char* expected) {
  return fail(ErrorKind::invalid_input, file.string() + ": " + field + " must be " + expected +
                                            " — fix the file or run `docker login` again.");
}

Result<Credentials> parse_auth_entry(const std::string& key, const json& entry,
                                     const std::filesystem::path& file) {
  const std::string field = "\"auths\" entry \"" + key + "\"";
  if (!entry.is_object()) {
    return wrong_type(file, field, "an object");
  }
  const auto text = [&](const char* name) -> Result<std::string> {
    const auto found = entry.find(name);
    if (found == entry.end() || found->is_null()) {
      return std::string();
    }
    if (!found->is_string()) {
      return wrong_type(file, field + " field \"" + name + "\"", "a string");
    }
    return found->get<std::string>();
  };
  Credentials credentials;
  auto auth = text("auth");
  auto username = text("username");
  auto password = text("password");
  auto identity_token = text("identitytoken");
  for (const auto* value : {&auth, &username, &password, &identity_token}) {
    if (!value->has_value()) {
      return std::unexpected(value->error());
    }
  }
  if (!auth->empty()) {
    // The value is a secret: the message names the entry, never the text.
    const auto decoded = base64_decode(*auth);
    const auto colon = decoded ? decoded->find(':') : std::string::npos;
    if (colon == std::string::npos) {
      return fail(ErrorKind::invalid_input,
                  file.string() + ": the \"auth\" field of the " + field +
                      " is not base64 of \"user:password\" — run `docker login " + key +
                      "` again.");
    }
    credentials.username = decoded->substr(0, colon);
    credentials.password = decoded->substr(colon + 1);
  } else {
    credentials.username = std::move(*username);
    credentials.password = std::move(*password);
  }
  credentials.identity_token = std::move(*identity_token);
  return credentials;
}

}  // namespace

std::filesystem::path docker_config_directory() {
  if (const char* configured = std::getenv("DOCKER_CONFIG");
      configured != nullptr && *configured != '\0') {
    return configured;
  }
  return home_directory() / ".docker";
}

std::string hostname_of_config_key(std::string_view key) {
  if (const auto scheme = key.find("://"); scheme != std::string_view::npos) {
    key.remove_prefix(scheme + 3);
  }
  return std::string(key.substr(0, key.find('/')));
}

Result<DockerConfig> DockerConfig::load(const std::filesystem::path& directory) {
  const auto file = directory / "config.json";
  std::error_code error;
  if (!std::filesystem::exists(file, error)) {
    DockerConfig config;
    config.file = file;
    return config;
  }
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) {
    return fail(ErrorKind::io, "cannot read " + file.string() +
                                   " (the docker CLI config with registry logins) — check its "
                                   "permissions or set DOCKER_CONFIG to another directory.");
  }
  return parse(text.str(), file);
}

Result<DockerConfig> DockerConfig::parse(std::string_view text, const std::filesystem::path& file) {
  DockerConfig config;
  config.file = file;
  json document;
  try {
    document = json::parse(text);
  } catch (const json::parse_error& error) {
    return fail(ErrorKind::invalid_input,
                location(text, error.byte == 0 ? 0 : error.byte - 1, file) + ": not valid JSON (" +
                    describe_parse_error(error.what()) +
                    ") — fix the file or move it away and run `docker login` again.");
  }
  if (!document.is_object()) {
    return wrong_type(file, "the document", "a JSON object");
  }
  if (const auto auths = document.find("auths"); auths != document.end() && !auths->is_null()) {
    if (!auths->is_object()) {
      return wrong_type(file, "\"auths\"", "an object");
    }
    for (const auto& [key, entry] : auths->items()) {
      auto credentials = parse_auth_entry(key, entry, file);
      if (!credentials) {
        return std::unexpected(std::move(credentials.error()));
      }
      config.auths.emplace(key, std::move(*credentials));
    }
  }
  if (const auto store = document.find("credsStore"); store != document.end()) {
    if (!store->is_string()) {
      return wrong_type(file, "\"credsStore\"", "a string");
    }
    config.creds_store = store->get<std::string>();
  }
  if (const auto helpers = document.find("credHelpers");
      helpers != document.end() && !helpers->is_null()) {
    if (!helpers->is_object()) {
      return wrong_type(file, "\"credHelpers\"", "an object");
    }
    for (const auto& [key, helper] : helpers->items()) {
      if (!helper.is_string()) {
        return wrong_type(file, "\"credHelpers\" entry \"" + key + "\"", "a string");
      }
      config.cred_helpers.emplace(key, helper.get<std::string>());
    }
  }
  return config;
}

const Credentials* DockerConfig::find_auth(std::string_view config_key) const {
  if (const auto exact = auths.find(std::string(config_key)); exact != auths.end()) {
    return &exact->second;
  }
  const auto wanted = hostname_of_config_key(config_key);
  for (const auto& [key, credentials] : auths) {
    if (hostname_of_config_key(key) == wanted) {
      return &credentials;
    }
  }
  return nullptr;
}

std::pair<CredentialSource::Kind, std::string> DockerConfig::helper_for(
    std::string_view config_key) const {
  if (const auto helper = cred_helpers.find(std::string(config_key));
      helper != cred_helpers.end() && !helper->second.empty()) {
    return {CredentialSource::Kind::cred_helper, helper->second};
  }
  if (!creds_store.empty()) {
    return {CredentialSource::Kind::creds_store, creds_store};
  }
  return {CredentialSource::Kind::none, {}};
}

}  // namespace wharf::registry
