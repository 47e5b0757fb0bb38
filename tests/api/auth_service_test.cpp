// AuthService without HTTP: the withdrawal hook and the admin bootstrap.
#include "service/accounts/auth_service.hpp"

#include "storage/migrations.hpp"

#include <gtest/gtest.h>

#include "support/test_support.hpp"

namespace pillivery::service {
namespace {

class AuthServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<storage::Database>(testing::FreshDatabaseUrl(GetParam(), dir_), 4);
    storage::Migrate(*db_, testing::RealClock());
    users_ = std::make_unique<storage::UserRepository>(*db_, testing::RealClock());
    tokens_ = std::make_unique<storage::DatabaseTokenStore>(*db_);
    throttle_ = std::make_unique<LoginThrottle>(*tokens_, clock_);
  }
  std::unique_ptr<AuthService> MakeAuth(std::chrono::milliseconds principal_cache = std::chrono::milliseconds(0)) {
    return std::make_unique<AuthService>(*db_, *users_, *tokens_, hasher_, jwt_, *throttle_, clock_,
                                         std::chrono::hours(24), principal_cache);
  }
  testing::TempDir dir_;
  std::unique_ptr<storage::Database> db_;
  infra::ManualClock clock_{std::chrono::system_clock::now()};
  std::unique_ptr<storage::UserRepository> users_;
  std::unique_ptr<storage::DatabaseTokenStore> tokens_;
  std::unique_ptr<LoginThrottle> throttle_;
  PasswordHasher hasher_{kTestPasswordCost};
  JwtCodec jwt_{std::string(32, 's'), clock_, std::chrono::minutes(30)};
};

// Found by the API fuzzer: cpp-jwt's base64 decoder aborted (assert) on a byte
// outside the alphabet, so one bearer token could stop a server.
TEST_P(AuthServiceTest, Verify_ATokenWithABytesOutsideBase64url_IsRefusedNotDecoded) {
  EXPECT_FALSE(jwt_.Verify("\xF8.y.z").has_value());
  EXPECT_FALSE(jwt_.Verify("eyJhbGciOiJIUzI1NiJ9.\x80\xFF.sig").has_value());
  EXPECT_FALSE(jwt_.Verify("a b.c.d").has_value());
}

TEST_P(AuthServiceTest, Withdraw_RunsTheHooksAfterTheAccountIsWithdrawn) {
  auto& users = *users_;
  auto owned = MakeAuth();
  auto& auth = *owned;
  std::vector<std::int64_t> seen;
  auth.OnWithdraw([&](std::int64_t id) {
    seen.push_back(id);
    EXPECT_EQ(users.FindById(id)->status, domain::UserStatus::kWithdrawn);
  });
  auth.OnWithdraw([](std::int64_t) { throw std::runtime_error("a later module failed"); });
  auto id = auth.SignUp({"a@x.com", "secret1!x", "name1", "홍길동", "01011112222", "서울", "1"});
  auto pair = auth.Login("a@x.com", "secret1!x", "127.0.0.1");
  auto principal = auth.Authenticate(pair.access_token);
  EXPECT_NO_THROW(auth.Withdraw(principal, std::string("secret1!x"), "127.0.0.1"));
  EXPECT_EQ(seen, std::vector<std::int64_t>{id});
  EXPECT_THROW(auth.Authenticate(pair.access_token), domain::Error);
}

TEST_P(AuthServiceTest, Withdraw_WorkInItsTransactionFails_TheAccountStaysAsItWas) {
  auto& users = *users_;
  auto owned = MakeAuth();
  auto& auth = *owned;
  auth.InWithdrawal(
      [](storage::UnitOfWork&, std::int64_t) { throw std::runtime_error("could not end the subscriptions"); });
  auto id = auth.SignUp({"b@x.com", "secret1!x", "name2", "홍길동", "01011113333", "서울", "1"});
  auto principal = auth.Authenticate(auth.Login("b@x.com", "secret1!x", "127.0.0.1").access_token);
  EXPECT_THROW(auth.Withdraw(principal, std::string("secret1!x"), "127.0.0.1"), std::runtime_error);
  EXPECT_EQ(users.FindById(id)->status, domain::UserStatus::kActive);
}

TEST_P(AuthServiceTest, EnsureAdmin_CreatesOnceThenPromotesAndResetsThePassword) {
  auto& users = *users_;
  auto owned = MakeAuth();
  auto& auth = *owned;
  // A customer already holds the display name "admin": the admin gets another.
  auto customer = auth.SignUp({"c@x.com", "secret1!x", "admin", "고객", "01022223333", "서울", "1"});
  auto first = auth.EnsureAdmin("Admin@X.com", "Adm1n!pass");
  EXPECT_NE(users.FindById(first)->display_name, "admin");
  EXPECT_EQ(auth.EnsureAdmin("admin@x.com", "N3w!admin"), first);
  auto admin = users.FindById(first);
  EXPECT_TRUE(admin->HasRole(domain::Role::kAdmin));
  EXPECT_NO_THROW(auth.Login("admin@x.com", "N3w!admin", "127.0.0.1"));
  EXPECT_THROW(auth.EnsureAdmin("admin@x.com", "weak"), domain::Error);
  // An existing customer named in the config becomes an admin too.
  EXPECT_EQ(auth.EnsureAdmin("c@x.com", "secret1!x"), customer);
  EXPECT_TRUE(users.FindById(customer)->HasRole(domain::Role::kAdmin));
}

TEST_P(AuthServiceTest, PrincipalCache_ServesRepeatsButForgetsLogoutAndWithdrawalAtOnce) {
  auto& users = *users_;
  auto owned = MakeAuth(std::chrono::seconds(5));
  auto& auth = *owned;
  auto id = auth.SignUp({"a@x.com", "secret1!x", "name1", "홍길동", "01011112222", "서울", "1"});
  auto first = auth.Login("a@x.com", "secret1!x", "127.0.0.1");
  auto second = auth.Login("a@x.com", "secret1!x", "127.0.0.1");
  auth.Authenticate(first.access_token);

  // Another server withdraws the account behind our back: seen once the TTL is over.
  users.Withdraw(id);
  EXPECT_EQ(auth.Authenticate(first.access_token).user_id, id);
  clock_.Advance(std::chrono::seconds(6));
  EXPECT_THROW(auth.Authenticate(first.access_token), domain::Error);

  // This server's own logout is seen at once, even by a cached token.
  auto other = auth.SignUp({"b@x.com", "secret1!x", "name2", "홍길동", "01033334444", "서울", "1"});
  auto pair = auth.Login("b@x.com", "secret1!x", "127.0.0.1");
  auto principal = auth.Authenticate(pair.access_token);
  auth.Logout(principal, std::nullopt);
  EXPECT_THROW(auth.Authenticate(pair.access_token), domain::Error);

  // And its own withdrawal ends every cached token of the user.
  auto again = auth.Login("b@x.com", "secret1!x", "127.0.0.1");
  auto cached = auth.Authenticate(again.access_token);
  auto more = auth.Login("b@x.com", "secret1!x", "127.0.0.1");
  auth.Authenticate(more.access_token);
  auth.Withdraw(cached, std::string("secret1!x"), "127.0.0.1");
  EXPECT_THROW(auth.Authenticate(more.access_token), domain::Error);
  EXPECT_NE(other, id);
  (void)second;
}

// Issue #13 item 7: after refresh-token reuse revokes a family, its access
// tokens stop at once, cached or not, and the other servers are told.
TEST_P(AuthServiceTest, RefreshReuse_RevokesTheFamilysAccessTokensAtOnceAndTellsTheOtherServers) {
  auto owned = MakeAuth(std::chrono::seconds(5));
  auto& auth = *owned;
  std::vector<std::string> told;
  auth.OnRevoked([&told](const std::string& what) { told.push_back(what); });
  auth.SignUp({"a@x.com", "secret1!x", "name1", "홍길동", "01011112222", "서울", "1"});
  auto pair = auth.Login("a@x.com", "secret1!x", "127.0.0.1");
  auto principal = auth.Authenticate(pair.access_token);  // cached from here
  auto rotated = auth.Refresh(pair.refresh_token);
  auth.Authenticate(rotated.access_token);
  EXPECT_THROW(auth.Refresh(pair.refresh_token), domain::Error);  // reuse
  EXPECT_THROW(auth.Authenticate(pair.access_token), domain::Error);
  EXPECT_THROW(auth.Authenticate(rotated.access_token), domain::Error);
  EXPECT_EQ(told, std::vector<std::string>{"session:" + principal.session_id});
  // Another login is another session: unaffected.
  auto fresh = auth.Login("a@x.com", "secret1!x", "127.0.0.1");
  EXPECT_NO_THROW(auth.Authenticate(fresh.access_token));
}

// What another server's broadcast does here: the cached principal is dropped,
// so the next request re-reads the revocation instead of waiting out the TTL.
TEST_P(AuthServiceTest, Forget_DropsCachedPrincipalsNamedByAnotherServer) {
  auto here_owned = MakeAuth(std::chrono::seconds(60));
  auto there_owned = MakeAuth(std::chrono::seconds(60));
  auto& here = *here_owned;
  auto& there = *there_owned;
  std::vector<std::string> told;
  there.OnRevoked([&told](const std::string& what) { told.push_back(what); });
  here.SignUp({"a@x.com", "secret1!x", "name1", "홍길동", "01011112222", "서울", "1"});
  auto pair = here.Login("a@x.com", "secret1!x", "127.0.0.1");
  here.Authenticate(pair.access_token);
  auto principal = there.Authenticate(pair.access_token);
  there.Logout(principal, std::nullopt);
  EXPECT_NO_THROW(here.Authenticate(pair.access_token));  // stale: nobody told us
  for (const auto& what : told) EXPECT_TRUE(here.Forget(what)) << what;
  EXPECT_THROW(here.Authenticate(pair.access_token), domain::Error);
  EXPECT_FALSE(here.Forget("item:3"));
  EXPECT_FALSE(here.Forget("user:abc"));
  EXPECT_TRUE(here.Forget("user:1"));
}

INSTANTIATE_TEST_SUITE_P(Engines, AuthServiceTest, ::testing::ValuesIn(testing::Engines()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace pillivery::service
