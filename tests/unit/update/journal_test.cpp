#include "wharf/update/journal.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/peers.hpp"

namespace wharf::update {
namespace {

using wharf::test::read_file;
using wharf::test::TempDir;
using wharf::test::write_file;

UpdateRecord sample() {
  UpdateRecord record;
  record.id = "20261123T151500Z-42";
  record.started_at = "2026-11-23T15:15:00Z";
  record.from_tag = "1.1.0";
  record.to_tag = "1.2.0";
  record.from_commit = "aaaa";
  record.to_commit = "bbbb";
  record.strategy = "recreate";
  record.step = UpdateStep::restarting;
  record.services.push_back({"app", "demo-app-1", "old1", "new1", "demo-app-1-wharf-previous"});
  return record;
}

TEST(JournalTest, EveryStepHasANameThatParsesBack) {
  for (auto step : {UpdateStep::started, UpdateStep::git_pulled, UpdateStep::env_written,
                    UpdateStep::images_pulled, UpdateStep::restarting, UpdateStep::waiting_healthy,
                    UpdateStep::rolling_back, UpdateStep::done}) {
    EXPECT_EQ(parse_update_step(to_string(step)), step) << to_string(step);
  }
  EXPECT_FALSE(parse_update_step("teleporting"));
}

TEST(JournalTest, SaveThenLoadGivesTheSameRecord) {
  TempDir dir;
  JournalStore store(dir.path() / ".wharf");
  auto none = store.load_current();
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_FALSE(*none);
  ASSERT_TRUE(store.save(sample()));
  auto loaded = store.load_current();
  ASSERT_TRUE(loaded && *loaded) << (loaded ? "" : loaded.error().message);
  EXPECT_EQ((*loaded)->to_json(), sample().to_json());
  ASSERT_EQ((*loaded)->services.size(), 1U);
  EXPECT_EQ((*loaded)->services[0].previous_name, "demo-app-1-wharf-previous");
}

TEST(JournalTest, FinishMovesTheRecordToTheHistory) {
  TempDir dir;
  JournalStore store(dir.path() / ".wharf");
  auto first = sample();
  ASSERT_TRUE(store.save(first));
  first.step = UpdateStep::done;
  first.outcome = "updated";
  ASSERT_TRUE(store.finish(first));
  auto second = sample();
  second.id = "second";
  second.step = UpdateStep::done;
  second.outcome = "rolled_back";
  ASSERT_TRUE(store.finish(second));
  EXPECT_FALSE(std::filesystem::exists(store.current_file()));
  auto history = store.history();
  ASSERT_TRUE(history) << history.error().message;
  ASSERT_EQ(history->size(), 2U);
  EXPECT_EQ((*history)[0].outcome, "updated");
  EXPECT_EQ((*history)[1].id, "second");
}

TEST(JournalTest, AMessageWithBytesThatAreNotUtf8IsStillSavedAndFinished) {
  // A failure message quotes container logs and health output: arbitrary bytes, possibly
  // cut inside a character. Saving and finishing must not throw and leave update.json.
  TempDir dir;
  JournalStore store(dir.path() / ".wharf");
  auto record = sample();
  record.message = "app is unhealthy: the last check printed: caf\xE9 \xE2\x98";
  ASSERT_TRUE(store.save(record));
  auto loaded = store.load_current();
  ASSERT_TRUE(loaded && *loaded) << (loaded ? "" : loaded.error().message);
  EXPECT_EQ((*loaded)->message, "app is unhealthy: the last check printed: caf\uFFFD \uFFFD");
  record.step = UpdateStep::done;
  record.outcome = "rolled_back";
  ASSERT_TRUE(store.finish(record));
  EXPECT_FALSE(std::filesystem::exists(store.current_file()));
  auto history = store.history();
  ASSERT_TRUE(history) << history.error().message;
  ASSERT_EQ(history->size(), 1U);
  EXPECT_EQ((*history)[0].outcome, "rolled_back");
}

TEST(JournalTest, ADamagedJournalIsAnErrorNamingTheFile) {
  TempDir dir;
  JournalStore store(dir.path());
  write_file(store.current_file(), "{\"id\": \"x\", \"to_tag\": ");
  auto loaded = store.load_current();
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.error().message.find(store.current_file().string()), std::string::npos);

  write_file(store.current_file(), R"({"id": "x", "to_tag": "1.0.0", "step": "teleporting"})");
  loaded = store.load_current();
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.error().message.find("teleporting"), std::string::npos);

  write_file(store.current_file(), R"({"id": "x", "step": "started"})");
  loaded = store.load_current();
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.error().message.find("\"to_tag\" is missing"), std::string::npos);
}

TEST(JournalTest, ADamagedHistoryLineIsNamed) {
  TempDir dir;
  JournalStore store(dir.path());
  auto record = sample();
  record.step = UpdateStep::done;
  write_file(store.history_file(), record.to_json().dump() + "\nnot json\n");
  auto history = store.history();
  ASSERT_FALSE(history);
  EXPECT_NE(history.error().message.find("history.jsonl:2"), std::string::npos)
      << history.error().message;
}

}  // namespace
}  // namespace wharf::update
