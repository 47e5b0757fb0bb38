#include "storage/user_repository.hpp"

#include "storage/migrations.hpp"
#include "storage/token_store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "support/test_support.hpp"

namespace pillivery::storage {
namespace {

using domain::Error;
using domain::User;

// One suite, both engines: SQLite always, MariaDB when the test services run.
class UserRepositoryTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<Database>(testing::FreshDatabaseUrl(GetParam(), dir_), 8);
    Migrate(*db_, testing::RealClock());
    users_ = std::make_unique<UserRepository>(*db_, testing::RealClock());
    tokens_ = std::make_unique<DatabaseTokenStore>(*db_);
  }
  static User MakeUser(const std::string& email, const std::string& name, const std::string& phone) {
    User u;
    u.email = email;
    u.password_hash = "$argon2id$fake";
    u.display_name = name;
    u.real_name = "홍길동";
    u.phone = phone;
    u.city = "서울";
    u.detail_address = "'; DROP TABLE users; --";
    return u;
  }
  static std::string CodeOf(const std::function<void()>& f) {
    try {
      f();
    } catch (const Error& e) {
      return e.Code();
    }
    return "";
  }
  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<UserRepository> users_;
  std::unique_ptr<DatabaseTokenStore> tokens_;
};

TEST_P(UserRepositoryTest, Insert_ThenFind_RoundTripsEveryFieldVerbatim) {
  auto id = users_->Insert(MakeUser("a@x.com", "건강한사람🙂", "010-1111-2222"));
  auto by_email = users_->FindByEmail("a@x.com");
  ASSERT_TRUE(by_email);
  EXPECT_EQ(by_email->id, id);
  EXPECT_EQ(by_email->display_name, "건강한사람🙂");
  EXPECT_EQ(by_email->detail_address, "'; DROP TABLE users; --");
  EXPECT_EQ(by_email->roles, std::vector<domain::Role>{domain::Role::kUser});
  EXPECT_EQ(by_email->status, domain::UserStatus::kActive);
  EXPECT_TRUE(users_->FindById(id));
  EXPECT_FALSE(users_->FindByEmail("b@x.com"));
}

TEST_P(UserRepositoryTest, Insert_WhenAUniqueValueIsTaken_ThrowsTheFieldsConflictCode) {
  users_->Insert(MakeUser("a@x.com", "name1", "010-1111-2222"));
  EXPECT_EQ(CodeOf([&] { users_->Insert(MakeUser("a@x.com", "name2", "010-1111-3333")); }), "EMAIL_TAKEN");
  EXPECT_EQ(CodeOf([&] { users_->Insert(MakeUser("b@x.com", "name1", "010-1111-3333")); }), "DISPLAY_NAME_TAKEN");
  EXPECT_EQ(CodeOf([&] { users_->Insert(MakeUser("b@x.com", "name2", "010-1111-2222")); }), "PHONE_TAKEN");
  auto social = MakeUser("", "social1", "");
  social.email.reset();
  social.phone.reset();
  users_->Insert(social);
  social.display_name = "social2";
  EXPECT_NO_THROW(users_->Insert(social));  // NULL email/phone never collide
}

TEST_P(UserRepositoryTest, Insert_WhenManyRaceForOneEmail_ExactlyOneWins) {
  std::atomic<int> won{0}, taken{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      try {
        users_->Insert(MakeUser("race@x.com", "racer" + std::to_string(i), "010-2222-" + std::to_string(1000 + i)));
        ++won;
      } catch (const Error& e) {
        if (e.Code() == "EMAIL_TAKEN") ++taken;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(won, 1);
  EXPECT_EQ(taken, 7);
}

TEST_P(UserRepositoryTest, Withdraw_ReleasesUniqueValuesAndUnlinksIdentities) {
  auto id = users_->Insert(MakeUser("a@x.com", "name1", "010-1111-2222"));
  EXPECT_TRUE(users_->LinkIdentity(id, {"kakao", "123"}));
  EXPECT_TRUE(users_->LinkIdentity(id, {"kakao", "123"}));  // idempotent
  EXPECT_EQ(users_->FindByIdentity("kakao", "123")->id, id);
  users_->Withdraw(id);
  auto gone = users_->FindById(id);
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->status, domain::UserStatus::kWithdrawn);
  EXPECT_FALSE(gone->email);
  EXPECT_FALSE(gone->password_hash);
  EXPECT_FALSE(users_->FindByIdentity("kakao", "123"));
  EXPECT_NO_THROW(users_->Insert(MakeUser("a@x.com", "name1", "010-1111-2222")));
}

TEST_P(UserRepositoryTest, LinkIdentity_WhenOwnedByAnotherUser_ReturnsFalse) {
  auto a = users_->Insert(MakeUser("a@x.com", "name1", "010-1111-2222"));
  auto b = users_->Insert(MakeUser("b@x.com", "name2", "010-1111-3333"));
  EXPECT_TRUE(users_->LinkIdentity(a, {"google", "g1"}));
  EXPECT_FALSE(users_->LinkIdentity(b, {"google", "g1"}));
}

TEST_P(UserRepositoryTest, SpendRefresh_SucceedsOnceEvenUnderConcurrency) {
  tokens_->SaveRefresh({"h1", "fam", 1, 100, 200, false, false});
  std::atomic<int> spent{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) threads.emplace_back([&] { spent += tokens_->SpendRefresh("h1") ? 1 : 0; });
  for (auto& t : threads) t.join();
  EXPECT_EQ(spent, 1);
  EXPECT_TRUE(tokens_->FindRefresh("h1")->spent);
}

TEST_P(UserRepositoryTest, RevokeFamilyAndUser_MarkEveryTokenRevoked) {
  tokens_->SaveRefresh({"h1", "fam1", 1, 100, 200, false, false});
  tokens_->SaveRefresh({"h2", "fam1", 1, 100, 200, false, false});
  tokens_->SaveRefresh({"h3", "fam2", 1, 100, 200, false, false});
  tokens_->SaveRefresh({"h4", "fam3", 1, 100, 200, false, false});
  tokens_->RevokeFamily("fam1");
  EXPECT_TRUE(tokens_->FindRefresh("h2")->revoked);
  EXPECT_FALSE(tokens_->FindRefresh("h3")->revoked);
  EXPECT_FALSE(tokens_->SpendRefresh("h1"));
  tokens_->RevokeUserRefreshTokens(1, "fam3");
  EXPECT_TRUE(tokens_->FindRefresh("h3")->revoked);
  EXPECT_FALSE(tokens_->FindRefresh("h4")->revoked);
}

TEST_P(UserRepositoryTest, AccessRevocation_IsKeptUntilExpiryThenPurged) {
  tokens_->RevokeAccess("j1", 500);
  tokens_->RevokeAccess("j1", 500);  // twice is fine
  EXPECT_TRUE(tokens_->IsAccessRevoked("j1"));
  EXPECT_FALSE(tokens_->IsAccessRevoked("j2"));
  tokens_->PurgeExpired(400);
  EXPECT_TRUE(tokens_->IsAccessRevoked("j1"));
  tokens_->PurgeExpired(501);
  EXPECT_FALSE(tokens_->IsAccessRevoked("j1"));
}

TEST_P(UserRepositoryTest, LoginFailures_CountWithinTheWindowAndClearPerKey) {
  for (int at : {100, 200, 300}) tokens_->RecordLoginFailure("email", "k1", at);
  tokens_->RecordLoginFailure("addr", "k1", 300);
  auto window = tokens_->LoginFailuresSince("email", "k1", 150);
  EXPECT_EQ(window.count, 2);
  EXPECT_EQ(window.oldest, 200);
  tokens_->ClearLoginFailures("email", "k1");
  EXPECT_EQ(tokens_->LoginFailuresSince("email", "k1", 0).count, 0);
  EXPECT_EQ(tokens_->LoginFailuresSince("addr", "k1", 0).count, 1);
}

TEST_P(UserRepositoryTest, OAuthState_IsSingleUse) {
  tokens_->SaveOAuthState({"s1", "google", "verifier", 999});
  auto taken = tokens_->TakeOAuthState("s1");
  ASSERT_TRUE(taken);
  EXPECT_EQ(taken->code_verifier, "verifier");
  EXPECT_FALSE(tokens_->TakeOAuthState("s1"));
}

TEST_P(UserRepositoryTest, LoadOrCreateSecret_KeepsTheFirstSecret) {
  EXPECT_EQ(LoadOrCreateSecret(*db_, "jwt", "first-secret-0123456789abcdefghijklmnop"),
            "first-secret-0123456789abcdefghijklmnop");
  EXPECT_EQ(LoadOrCreateSecret(*db_, "jwt", "second"), "first-secret-0123456789abcdefghijklmnop");
}

INSTANTIATE_TEST_SUITE_P(Engines, UserRepositoryTest, ::testing::ValuesIn(testing::Engines()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace pillivery::storage
