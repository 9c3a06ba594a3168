#pragma once

// Lenient readers for Engine API answers: a field that is missing, null or of another type
// reads as empty/zero instead of throwing, because engines differ in which fields they send.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace wharf::engine::json_fields {

[[nodiscard]] inline const nlohmann::json* find(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) {
    return nullptr;
  }
  const auto found = object.find(key);
  return found == object.end() ? nullptr : &*found;
}

[[nodiscard]] inline std::string string_at(const nlohmann::json& object, const char* key) {
  const auto* value = find(object, key);
  return value != nullptr && value->is_string() ? value->get<std::string>() : std::string();
}

[[nodiscard]] inline std::int64_t int_at(const nlohmann::json& object, const char* key) {
  const auto* value = find(object, key);
  return value != nullptr && value->is_number() ? value->get<std::int64_t>() : 0;
}

[[nodiscard]] inline bool bool_at(const nlohmann::json& object, const char* key) {
  const auto* value = find(object, key);
  return value != nullptr && value->is_boolean() && value->get<bool>();
}

[[nodiscard]] inline std::vector<std::string> strings_at(const nlohmann::json& object,
                                                         const char* key) {
  std::vector<std::string> result;
  if (const auto* value = find(object, key); value != nullptr && value->is_array()) {
    for (const auto& item : *value) {
      if (item.is_string()) {
        result.push_back(item.get<std::string>());
      }
    }
  }
  return result;
}

[[nodiscard]] inline std::map<std::string, std::string> labels_at(const nlohmann::json& object,
                                                                  const char* key) {
  std::map<std::string, std::string> result;
  if (const auto* value = find(object, key); value != nullptr && value->is_object()) {
    for (const auto& [name, item] : value->items()) {
      if (item.is_string()) {
        result[name] = item.get<std::string>();
      }
    }
  }
  return result;
}

[[nodiscard]] inline const nlohmann::json& object_at(const nlohmann::json& object,
                                                     const char* key) {
  static const nlohmann::json kEmpty = nlohmann::json::object();
  const auto* value = find(object, key);
  return value != nullptr && value->is_object() ? *value : kEmpty;
}

/// {"label": ["a=b", "c"]} as the `filters` query parameter expects it (not yet encoded).
[[nodiscard]] inline std::string label_filters(const std::map<std::string, std::string>& labels,
                                               nlohmann::json filters = nlohmann::json::object()) {
  for (const auto& [name, value] : labels) {
    filters["label"].push_back(value.empty() ? name : name + "=" + value);
  }
  return filters.dump();
}

}  // namespace wharf::engine::json_fields
