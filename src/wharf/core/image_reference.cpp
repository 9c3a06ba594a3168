#include "wharf/core/image_reference.hpp"

#include <algorithm>
#include <ostream>

#include "wharf/core/image_reference_grammar.hpp"
#include "wharf/core/quote.hpp"

namespace wharf {
namespace {

using reference_grammar::digest_problem;
using reference_grammar::domain_problem;
using reference_grammar::looks_like_domain;
using reference_grammar::path_problem;
using reference_grammar::tag_problem;

constexpr std::string_view kDefaultDomain = "docker.io";
constexpr std::string_view kLegacyDefaultDomain = "index.docker.io";
constexpr std::string_view kOfficialPrefix = "library/";
constexpr std::size_t kMaxNameLength = 255;
constexpr std::size_t kImageIdLength = 64;
constexpr std::string_view kValidExamples =
    "A valid one looks like nginx:1.25, team/app:v1.2.3 or "
    "localhost:5000/team/app:v1.2.3@sha256:<64 hex digits>.";

bool is_lower_hex(char c) noexcept {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

}  // namespace

Result<ImageReference> ImageReference::parse(std::string_view text) {
  const auto reject = [text](std::string_view reason) {
    const auto shown = text.empty() ? std::string("an empty string") : quote_value(text);
    return fail(ErrorKind::invalid_input,
                shown + " is not a valid image reference: " + std::string(reason) + ". " +
                    std::string(kValidExamples));
  };
  if (text.empty()) {
    return reject("there is no repository name");
  }
  // Docker reads 64 lowercase hex digits as an image ID; accepting it as a Hub repository
  // would make wharf and docker disagree about what the string names.
  if (text.size() == kImageIdLength && std::ranges::all_of(text, is_lower_hex)) {
    return reject("64 hexadecimal digits name an image ID, which cannot be used as a repository");
  }

  const auto at = text.find('@');
  const auto name_and_tag = text.substr(0, at);

  ImageReference reference;
  std::string_view remainder = name_and_tag;
  const auto slash = name_and_tag.find('/');
  if (slash != std::string_view::npos && looks_like_domain(name_and_tag.substr(0, slash))) {
    const auto domain = name_and_tag.substr(0, slash);
    if (auto problem = domain_problem(domain)) {
      return reject(*problem);
    }
    reference.domain_ = domain == kLegacyDefaultDomain ? kDefaultDomain : domain;
    remainder = name_and_tag.substr(slash + 1);
  } else {
    reference.domain_ = kDefaultDomain;
  }

  // Path components cannot contain ':', so the first one after the domain starts the tag.
  const auto colon = remainder.find(':');
  const auto path = remainder.substr(0, colon);
  if (auto problem = path_problem(path)) {
    return reject(*problem);
  }
  reference.path_ = path;
  if (reference.domain_ == kDefaultDomain && path.find('/') == std::string_view::npos) {
    reference.path_.insert(0, kOfficialPrefix);
  }
  if (const auto length = reference.domain_.size() + 1 + reference.path_.size();
      length > kMaxNameLength) {
    return reject("the name " + quote_value(reference.repository()) + " is " +
                  std::to_string(length) + " characters long; a repository name has at most 255");
  }

  if (colon != std::string_view::npos) {
    const auto tag = remainder.substr(colon + 1);
    if (auto problem = tag_problem(tag)) {
      return reject(*problem);
    }
    reference.tag_ = tag;
    reference.explicit_tag_ = true;
  }
  if (at != std::string_view::npos) {
    const auto digest = text.substr(at + 1);
    if (auto problem = digest_problem(digest)) {
      return reject(*problem);
    }
    reference.digest_ = digest;
  }
  if (!reference.tag_ && !reference.digest_) {
    reference.tag_ = "latest";
  }
  return reference;
}

std::string ImageReference::repository() const {
  return domain_ + '/' + path_;
}

std::string ImageReference::to_string() const {
  std::string text = repository();
  if (tag_) {
    text += ':' + *tag_;
  }
  if (digest_) {
    text += '@' + *digest_;
  }
  return text;
}

std::string ImageReference::familiar() const {
  std::string text;
  if (domain_ == kDefaultDomain) {
    std::string_view path = path_;
    if (path.starts_with(kOfficialPrefix) &&
        path.find('/', kOfficialPrefix.size()) == std::string_view::npos) {
      path.remove_prefix(kOfficialPrefix.size());
    }
    // "docker.io/my.org/app" shortened to "my.org/app" would name a registry "my.org".
    const auto slash = path.find('/');
    if (slash != std::string_view::npos && looks_like_domain(path.substr(0, slash))) {
      text = repository();
    } else {
      text = path;
    }
  } else {
    text = repository();
  }
  if (tag_) {
    text += ':' + *tag_;
  }
  if (digest_) {
    text += '@' + *digest_;
  }
  return text;
}

Result<ImageReference> ImageReference::with_tag(std::string_view tag) const {
  if (tag.empty()) {
    return fail(ErrorKind::invalid_input,
                "cannot tag " + quote_value(familiar()) +
                    " with an empty tag; a tag such as v1.2.3 is needed.");
  }
  if (auto problem = tag_problem(tag)) {
    return fail(ErrorKind::invalid_input, "cannot tag " + quote_value(familiar()) + " with " +
                                              quote_value(tag) + ": " + *problem + ".");
  }
  ImageReference tagged = *this;
  tagged.tag_ = tag;
  tagged.explicit_tag_ = true;
  tagged.digest_.reset();
  return tagged;
}

std::ostream& operator<<(std::ostream& out, const ImageReference& reference) {
  return out << reference.to_string();
}

}  // namespace wharf
