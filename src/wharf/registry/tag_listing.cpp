#include "wharf/registry/tag_listing.hpp"

#include <nlohmann/json.hpp>

#include "wharf/registry/link_header.hpp"
#include "wharf/registry/registry_errors.hpp"

namespace wharf::registry {
namespace {

/// A registry that keeps sending "next" links beyond this is looping, not paging.
constexpr std::size_t kMaxPages = 10'000;

}  // namespace

TagListing::TagListing(OperationContext& context, OperationTarget target, std::size_t page_size)
    : RegistryOperation(context, std::move(target)), page_size_(page_size) {}

Result<std::vector<std::string>> TagListing::take_result() {
  if (error_) {
    return std::unexpected(std::move(*error_));
  }
  return std::move(tags_);
}

RegistryOperation::Request TagListing::first_request() {
  current_path_ = "/v2/" + target().repository + "/tags/list";
  if (page_size_ > 0) {
    current_path_ += "?n=" + std::to_string(page_size_);
  }
  return Request{"GET", current_path_, {"Accept: application/json"}};
}

std::optional<RegistryOperation::Request> TagListing::fail_with(Error error) {
  error_ = std::move(error);
  return std::nullopt;
}

std::optional<RegistryOperation::Request> TagListing::on_answer(Result<HttpResponse> answer) {
  if (!answer) {
    return fail_with(std::move(answer.error()));
  }
  if (answer->status == 404) {
    return fail_with(not_in_registry(target().subject, target().host, *answer));
  }
  if (answer->status != 200) {
    return fail_with(
        unexpected_status(target().subject, target().host, "GET " + current_path_, *answer));
  }
  const auto page = nlohmann::json::parse(answer->body, nullptr, /*allow_exceptions=*/false);
  const auto tags = page.is_object() ? page.find("tags") : page.end();
  if (!page.is_object() || (tags != page.end() && !tags->is_array() && !tags->is_null())) {
    return fail_with(protocol_error(target().subject, target().host,
                                    "sent a tag list that is not {\"tags\":[…]}"));
  }
  if (tags != page.end() && tags->is_array()) {
    for (const auto& tag : *tags) {
      if (tag.is_string()) {
        tags_.push_back(tag.get<std::string>());
      }
    }
  }
  ++pages_;
  const auto link =
      answer->header("Link").and_then([](const std::string& value) { return next_link(value); });
  if (!link) {
    return std::nullopt;
  }
  auto path = link_target_path(target().host.api_base_url, *link);
  if (!path) {
    return fail_with(
        Error::make(ErrorKind::remote, target().subject + ": " + path.error().message));
  }
  if (*path == current_path_ || pages_ >= kMaxPages) {
    return fail_with(protocol_error(target().subject, target().host,
                                    "keeps sending next-page links (" + *path + ")"));
  }
  current_path_ = std::move(*path);
  return Request{"GET", current_path_, {"Accept: application/json"}};
}

}  // namespace wharf::registry
