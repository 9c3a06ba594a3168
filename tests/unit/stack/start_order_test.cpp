// start_order() on hand-built files: the dependency graph alone, without YAML.

#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "wharf/stack/compose_file.hpp"

namespace wharf::stack {
namespace {

using ::testing::HasSubstr;

ComposeFile graph(std::vector<std::pair<std::string, std::vector<std::string>>> services) {
  ComposeFile file;
  file.path = "stack.yml";
  for (auto& [name, dependencies] : services) {
    ComposeService service;
    service.name = name;
    service.image = name + ":1";
    for (auto& dependency : dependencies) {
      service.depends_on.push_back(DependsOn{dependency, "service_started"});
    }
    file.services.push_back(std::move(service));
  }
  return file;
}

TEST(StartOrder, KeepsFileOrderWhereDependenciesAllow) {
  struct Case {
    std::vector<std::pair<std::string, std::vector<std::string>>> services;
    std::vector<std::string> order;
  };
  const std::vector<Case> cases = {
      {{}, {}},
      {{{"a", {}}, {"b", {}}, {"c", {}}}, {"a", "b", "c"}},
      {{{"a", {"c"}}, {"b", {}}, {"c", {}}}, {"b", "c", "a"}},
      {{{"web", {"api"}}, {"api", {"db", "cache"}}, {"db", {}}, {"cache", {}}},
       {"db", "cache", "api", "web"}},
      {{{"a", {"b", "b"}}, {"b", {}}}, {"b", "a"}},  // A repeated dependency is harmless.
      {{{"z", {}}, {"y", {"z"}}, {"x", {"y", "z"}}}, {"z", "y", "x"}},
  };
  for (const auto& [services, expected] : cases) {
    const auto order = start_order(graph(services));
    ASSERT_TRUE(order) << order.error().message;
    EXPECT_EQ(*order, expected);
  }
}

TEST(StartOrder, NamesTheCycle) {
  const auto cycle = start_order(
      graph({{"free", {}}, {"a", {"b"}}, {"b", {"c"}}, {"c", {"a"}}, {"waits", {"a"}}}));
  ASSERT_FALSE(cycle);
  EXPECT_EQ(cycle.error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(cycle.error().message,
            "stack.yml: the services depend on each other in a cycle (a → b → c → a), so none of "
            "them can start first — remove one of these depends_on entries");

  const auto self = start_order(graph({{"a", {"a"}}}));
  ASSERT_FALSE(self);
  EXPECT_THAT(self.error().message, HasSubstr("(a → a)"));

  // The cycle is found from a service that only waits for it.
  const auto behind = start_order(graph({{"waits", {"b"}}, {"b", {"c"}}, {"c", {"b"}}}));
  ASSERT_FALSE(behind);
  EXPECT_THAT(behind.error().message, HasSubstr("(b → c → b)"));
}

TEST(StartOrder, NamesAnUnknownDependency) {
  const auto order = start_order(graph({{"app", {}}, {"scheduler", {"app", "db"}}}));
  ASSERT_FALSE(order);
  EXPECT_EQ(order.error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(order.error().message,
            "stack.yml: service \"scheduler\" depends on \"db\", which the file does not define — "
            "fix the name in its depends_on or add that service");
}

}  // namespace
}  // namespace wharf::stack
