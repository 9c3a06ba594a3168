#include "wharf/runtime/stack_containers.hpp"

#include <gtest/gtest.h>

#include "wharf/stack/compose_labels.hpp"

namespace wharf::runtime {
namespace {

engine::ContainerSummary container(std::string name, std::string service, std::string number = "",
                                   std::string state = "running") {
  engine::ContainerSummary summary;
  summary.id = name + "-id";
  summary.names = {name};
  summary.state = std::move(state);
  summary.labels[std::string(stack::kComposeProjectLabel)] = "shop";
  if (!service.empty()) {
    summary.labels[std::string(stack::kComposeServiceLabel)] = std::move(service);
  }
  if (!number.empty()) {
    summary.labels[std::string(stack::kComposeContainerNumberLabel)] = std::move(number);
  }
  return summary;
}

std::vector<std::string> names(const ServiceContainers& group) {
  std::vector<std::string> result;
  for (const auto& entry : group.containers) {
    result.push_back(entry.name);
  }
  return result;
}

TEST(GroupByServiceTest, FollowsTheComposeFileOrderAndListsServicesWithoutContainers) {
  const std::vector<std::string> services{"web", "db", "cache"};
  const std::vector<engine::ContainerSummary> containers{container("shop-db-1", "db", "1"),
                                                         container("shop-web-1", "web", "1")};
  const auto groups = group_by_service(services, containers);
  ASSERT_EQ(groups.size(), 3U);
  EXPECT_EQ(groups[0].service, "web");
  EXPECT_EQ(names(groups[0]), std::vector<std::string>{"shop-web-1"});
  EXPECT_EQ(groups[1].service, "db");
  EXPECT_EQ(groups[2].service, "cache");
  EXPECT_FALSE(groups[2].created());
  EXPECT_TRUE(groups[2].in_compose_file);
}

TEST(GroupByServiceTest, OrdersAServicesContainersByNumberNotByName) {
  const std::vector<std::string> services{"worker"};
  const std::vector<engine::ContainerSummary> containers{
      container("shop-worker-10", "worker", "10"), container("shop-worker-2", "worker", "2"),
      container("shop-worker-1", "worker", "1", "exited")};
  const auto groups = group_by_service(services, containers);
  ASSERT_EQ(groups.size(), 1U);
  EXPECT_EQ(names(groups[0]),
            (std::vector<std::string>{"shop-worker-1", "shop-worker-2", "shop-worker-10"}));
  EXPECT_EQ(groups[0].containers[2].number, 10);
  EXPECT_FALSE(groups[0].containers[0].running());
}

TEST(GroupByServiceTest, PutsServicesTheFileLostLastAndLeavesOutOneOffsAndUnlabelled) {
  const std::vector<std::string> services{"web"};
  auto oneoff = container("shop-web-run-1", "web");
  oneoff.labels[std::string(stack::kComposeOneoffLabel)] = "True";
  const std::vector<engine::ContainerSummary> containers{
      container("shop-old-1", "old", "1"), oneoff, container("stray", ""),
      container("shop-aaa-1", "aaa", "not a number")};
  const auto groups = group_by_service(services, containers);
  ASSERT_EQ(groups.size(), 3U);
  EXPECT_EQ(groups[0].service, "web");
  EXPECT_FALSE(groups[0].created());
  EXPECT_EQ(groups[1].service, "aaa");
  EXPECT_FALSE(groups[1].in_compose_file);
  EXPECT_EQ(groups[1].containers[0].number, 0);
  EXPECT_EQ(groups[2].service, "old");
  EXPECT_FALSE(groups[2].in_compose_file);
}

}  // namespace
}  // namespace wharf::runtime
