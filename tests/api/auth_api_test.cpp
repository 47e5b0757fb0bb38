#include <gtest/gtest.h>
#include <sodium.h>
#include <boost/json.hpp>

#include <sstream>
#include <thread>

#include "api/auth_fixture.hpp"
#include "infra/log.hpp"

namespace pillivery::testing {
namespace {

std::string B64(const std::string& text) {
  std::string out(sodium_base64_ENCODED_LEN(text.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::strlen(out.c_str()));
  return out;
}
std::string FromB64(const std::string& text) {
  std::string out(text.size(), '\0');
  size_t len = 0;
  sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr, &len,
                    nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(len);
  return out;
}
std::string HmacSha256(const std::string& key, const std::string& data) {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  crypto_auth_hmacsha256_final(&state, mac);
  return std::string(reinterpret_cast<char*>(mac), sizeof mac);
}
std::vector<std::string> Split(const std::string& jwt) {
  std::vector<std::string> parts;
  std::stringstream in(jwt);
  std::string part;
  while (std::getline(in, part, '.')) parts.push_back(part);
  return parts;
}
std::string QueryParam(const std::string& url, const std::string& name) {
  auto pos = url.find(name + "=");
  if (pos == std::string::npos) return {};
  pos += name.size() + 1;
  return url.substr(pos, url.find('&', pos) - pos);
}

TEST_P(AuthApiTest, SignUp_WithValidFields_Answers201AndTheProfileReadsBack) {
  auto r = Send("POST", "/api/users", SignUpBody("Kim@Example.com", "건강지킴이", "01012345678"));
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_GT(Json(r).at("data").at("userId").as_int64(), 0);
  auto tokens = LoginOk("kim@example.com");
  auto me = Get("/api/users/me", Bearer(tokens.access));
  ASSERT_EQ(me.status, 200) << me.body;
  auto data = Json(me).at("data");
  EXPECT_EQ(data.at("email").as_string(), "kim@example.com");
  EXPECT_EQ(data.at("displayName").as_string(), "건강지킴이");
  EXPECT_EQ(data.at("phone").as_string(), "010-1234-5678");
  EXPECT_EQ(data.at("city").as_string(), "서울특별시");
  EXPECT_EQ(data.at("roles").as_array(), boost::json::array{"USER"});
  EXPECT_EQ(data.at("status").as_string(), "ACTIVE");
  EXPECT_TRUE(data.at("profileComplete").as_bool());
  EXPECT_FALSE(data.as_object().contains("password"));
  EXPECT_FALSE(data.as_object().contains("passwordHash"));
}

TEST_P(AuthApiTest, SignUp_WhenEveryFieldBreaksItsRule_ListsEachFieldInOne400) {
  auto r = Send("POST", "/api/users",
                R"({"email":"nope","password":"short","displayName":"x","realName":"","phone":"02-123-4567",
                    "city":"","detailAddress":""})");
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.Header("content-type"), "application/problem+json");
  EXPECT_EQ(Code(r), "VALIDATION_FAILED");
  std::set<std::string> fields;
  auto problem = Json(r);
  for (const auto& e : problem.at("errors").as_array()) fields.insert(std::string(e.at("field").as_string()));
  EXPECT_EQ(fields,
            (std::set<std::string>{"email", "password", "displayName", "realName", "phone", "city", "detailAddress"}));
}

TEST_P(AuthApiTest, SignUp_WhenEmailDisplayNameOrPhoneIsTaken_Answers409WithTheFieldsCode) {
  SignUp("a@x.com", "name1", "010-1111-2222");
  auto email = Send("POST", "/api/users", SignUpBody("A@X.com", "name2", "010-1111-3333"));
  EXPECT_EQ(email.status, 409);
  EXPECT_EQ(Code(email), "EMAIL_TAKEN");
  auto name = Send("POST", "/api/users", SignUpBody("b@x.com", "name1", "010-1111-3333"));
  EXPECT_EQ(Code(name), "DISPLAY_NAME_TAKEN");
  auto phone = Send("POST", "/api/users", SignUpBody("b@x.com", "name2", "01011112222"));  // hyphens do not dodge
  EXPECT_EQ(phone.status, 409);
  EXPECT_EQ(Code(phone), "PHONE_TAKEN");
}

TEST_P(AuthApiTest, SignUp_WhenManySignUpsRaceForOneEmail_ExactlyOneSucceeds) {
  std::vector<long> statuses(6);
  std::vector<std::string> codes(6);
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i)
    threads.emplace_back([&, i] {
      auto r = HttpCall("POST", base_ + "/api/users",
                        SignUpBody("race@x.com", "racer" + std::to_string(i), "010-3333-" + std::to_string(1000 + i)));
      statuses[i] = r.status;
      codes[i] = Code(r);
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 201), 1);
  EXPECT_EQ(std::count(codes.begin(), codes.end(), "EMAIL_TAKEN"), 5);
}

TEST_P(AuthApiTest, SignUp_WithDuplicateKeysWrongTypesOrHugeStrings_Answers400NeverA500) {
  std::string big(10 * 1024, 'a');
  std::vector<std::string> bodies{
      R"({"email":"a@x.com","email":"b@x.com","password":"secret1!x","displayName":"dup","realName":"r","phone":"01011112222","city":"c","detailAddress":"d"})",
      R"({"email":123,"password":"secret1!x","displayName":"n","realName":"r","phone":"01011112222","city":"c","detailAddress":"d"})",
      R"({"email":"a@x.com","password":["secret1!x"],"displayName":null,"realName":{},"phone":1,"city":true,"detailAddress":2.5})",
      SignUpBody(big + "@x.com", big, big, big),
      R"({"email":"a@x.com", "nested":{"k":1,"k":2}})",
      "[]",
      "not json",
      "{\"email\":\"\xff\xfe\"}",
      ""};
  for (const auto& body : bodies) {
    auto r = Send("POST", "/api/users", body);
    EXPECT_EQ(r.status, 400) << body.substr(0, 80) << " → " << r.body.substr(0, 200);
    EXPECT_EQ(r.Header("content-type"), "application/problem+json");
  }
  auto login = Send("POST", "/api/auth/login", R"({"email":"a@x.com","password":1})");
  EXPECT_EQ(login.status, 400);
  auto big_login = Login(big + "@x.com", big);
  EXPECT_EQ(big_login.status, 401) << big_login.body;
}

TEST_P(AuthApiTest, SignUp_WithSqlMetacharactersAndUnicodeInEveryField_StoresThemVerbatim) {
  boost::json::object body{{"email", "o'brien+x@example.com"}, {"password", "'; DROP TABLE users;--1a"},
                           {"displayName", "로버트'); --"},    {"realName", "Robert\"; DELETE FROM users"},
                           {"phone", "010-9999-8888"},         {"city", "서울 % _ \\ 🙂"},
                           {"detailAddress", "1' OR '1'='1"}};
  auto r = Send("POST", "/api/users", boost::json::serialize(body));
  ASSERT_EQ(r.status, 201) << r.body;
  auto tokens = LoginOk("o'brien+x@example.com", "'; DROP TABLE users;--1a");
  auto me = Json(Get("/api/users/me", Bearer(tokens.access))).at("data");
  for (const char* field : {"displayName", "realName", "city", "detailAddress"})
    EXPECT_EQ(me.at(field), body.at(field)) << field;
}

TEST_P(AuthApiTest, Login_WithTheRightPassword_ReturnsABearerTokenPair) {
  SignUp("a@x.com", "name1", "010-1111-2222");
  auto r = Login("A@x.com", "secret1!x");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("cache-control"), "no-store");
  auto data = Json(r).at("data");
  EXPECT_EQ(data.at("tokenType").as_string(), "Bearer");
  EXPECT_EQ(data.at("expiresIn").as_int64(), 1800);
  auto parts = Split(std::string(data.at("accessToken").as_string()));
  ASSERT_EQ(parts.size(), 3u);
  auto header = boost::json::parse(FromB64(parts[0]));
  EXPECT_EQ(header.at("alg").as_string(), "HS256");
  auto claims = boost::json::parse(FromB64(parts[1]));
  for (const char* claim : {"jti", "sub", "roles", "iat", "exp", "iss", "aud"})
    EXPECT_TRUE(claims.as_object().contains(claim)) << claim;
  EXPECT_EQ(claims.at("iss").as_string(), "pillivery");
  EXPECT_EQ(claims.at("aud").as_string(), "pillivery-api");
  EXPECT_EQ(claims.at("exp").as_int64() - claims.at("iat").as_int64(), 1800);
  EXPECT_GE(data.at("refreshToken").as_string().size(), 40u);
}

TEST_P(AuthApiTest, Login_WhenEmailIsUnknownOrPasswordWrong_AnswersTheSame401) {
  SignUp("a@x.com", "name1", "010-1111-2222");
  auto wrong = Login("a@x.com", "wrong1!pass");
  auto unknown = Login("ghost@x.com", "wrong1!pass");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(Code(wrong), "INVALID_CREDENTIALS");
  EXPECT_EQ(wrong.body, unknown.body);
  EXPECT_NE(wrong.Header("www-authenticate"), "");
}

TEST_P(AuthApiTest, Login_WhenPasswordIsWrongFiveTimes_Answers429WithRetryAfter) {
  SignUp("a@x.com", "name1", "010-1111-2222");
  for (int i = 0; i < 5; ++i) EXPECT_EQ(Login("a@x.com", "wrong1!pass").status, 401) << i;
  auto throttled = Login("a@x.com", "secret1!x");  // even the right password waits
  EXPECT_EQ(throttled.status, 429);
  EXPECT_EQ(Code(throttled), "LOGIN_THROTTLED");
  int retry_after = std::stoi(throttled.Header("retry-after"));
  EXPECT_GT(retry_after, 0);
  EXPECT_LE(retry_after, 900);
  clock_->Advance(std::chrono::seconds(retry_after));
  EXPECT_EQ(Login("a@x.com", "secret1!x").status, 200);
}

TEST_P(AuthApiTest, Login_WhenItSucceeds_ResetsTheEmailsFailureCount) {
  SignUp("a@x.com", "name1", "010-1111-2222");
  for (int i = 0; i < 4; ++i) Login("a@x.com", "wrong1!pass");
  LoginOk("a@x.com");
  for (int i = 0; i < 4; ++i) EXPECT_EQ(Login("a@x.com", "wrong1!pass").status, 401);
  EXPECT_EQ(Login("a@x.com", "secret1!x").status, 200);
}

TEST_P(AuthApiTest, Login_WhenOneAddressFailsTwentyTimes_Answers429ForEveryEmail) {
  SignUp("a@x.com", "name1", "010-1111-2222");
  for (int i = 0; i < 20; ++i) EXPECT_EQ(Login("spray" + std::to_string(i) + "@x.com", "wrong1!pass").status, 401) << i;
  auto r = Login("a@x.com", "secret1!x");
  EXPECT_EQ(r.status, 429);
  EXPECT_NE(r.Header("retry-after"), "");
}

TEST_P(AuthApiTest, Refresh_RotatesAndAReplayedTokenRevokesTheWholeFamily) {
  SignUp("a@x.com", "name1", "010-1111-2222");
  auto first = LoginOk("a@x.com");
  auto refresh = [&](const std::string& token) {
    return Send("POST", "/api/auth/refresh", boost::json::serialize(boost::json::object{{"refreshToken", token}}));
  };
  auto r1 = refresh(first.refresh);
  ASSERT_EQ(r1.status, 200) << r1.body;
  std::string second = std::string(Json(r1).at("data").at("refreshToken").as_string());
  EXPECT_NE(second, first.refresh);
  auto replay = refresh(first.refresh);  // the spent one comes back: someone copied it
  EXPECT_EQ(replay.status, 401);
  EXPECT_EQ(Code(replay), "INVALID_REFRESH_TOKEN");
  EXPECT_EQ(refresh(second).status, 401);  // the legitimate successor dies with the family
  EXPECT_EQ(refresh("not-a-token").status, 401);
  EXPECT_EQ(refresh(std::string(10 * 1024, 'x')).status, 401);
}

TEST_P(AuthApiTest, Refresh_WhenTheTokenIsOlderThanFourteenDays_Answers401) {
  SignUp("a@x.com", "name1", "010-1111-2222");
  auto tokens = LoginOk("a@x.com");
  clock_->Advance(std::chrono::hours(24 * 14) + std::chrono::seconds(1));
  auto r =
      Send("POST", "/api/auth/refresh", boost::json::serialize(boost::json::object{{"refreshToken", tokens.refresh}}));
  EXPECT_EQ(r.status, 401);
}

TEST_P(AuthApiTest, Logout_RevokesTheAccessTokenAtOnceAndTheRefreshFamily) {
  SignUp("a@x.com", "name1", "010-1111-2222");
  auto tokens = LoginOk("a@x.com");
  auto other = LoginOk("a@x.com");  // another device stays signed in
  auto r = Send("POST", "/api/auth/logout", "", Bearer(tokens.access));
  EXPECT_EQ(r.status, 204) << r.body;
  auto after = Get("/api/users/me", Bearer(tokens.access));
  EXPECT_EQ(after.status, 401);
  EXPECT_EQ(Code(after), "UNAUTHORIZED");
  auto refresh =
      Send("POST", "/api/auth/refresh", boost::json::serialize(boost::json::object{{"refreshToken", tokens.refresh}}));
  EXPECT_EQ(refresh.status, 401);
  EXPECT_EQ(Get("/api/users/me", Bearer(other.access)).status, 200);
}

TEST_P(AuthApiTest, Me_WithoutOrWithAMalformedToken_Answers401WithWwwAuthenticate) {
  for (const std::vector<std::string>& headers :
       {std::vector<std::string>{}, Bearer("garbage"), Bearer("a.b.c"),
        std::vector<std::string>{"Authorization: Basic eDp5"}, Bearer(std::string(5000, 'a'))}) {
    auto r = Get("/api/users/me", headers);
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(Code(r), "UNAUTHORIZED");
    EXPECT_EQ(r.Header("www-authenticate").rfind("Bearer", 0), 0u);
  }
}

TEST_P(AuthApiTest, AccessToken_WhenForged_IsRejected) {
  SignUp("a@x.com", "name1", "010-1111-2222");
  auto tokens = LoginOk("a@x.com");
  auto parts = Split(tokens.access);
  ASSERT_EQ(parts.size(), 3u);
  auto claims = boost::json::parse(FromB64(parts[1])).as_object();
  claims["roles"] = boost::json::array{"USER", "ADMIN"};
  std::string admin_payload = B64(boost::json::serialize(claims));
  std::string none_header = B64(R"({"alg":"none","typ":"JWT"})");
  std::string rs_header = B64(R"({"alg":"RS256","typ":"JWT"})");
  std::string hs_header = B64(R"({"alg":"HS256","typ":"JWT"})");
  std::string other_key(32, 'k');
  std::vector<std::pair<std::string, std::string>> forgeries{
      {"alg none", none_header + "." + admin_payload + "."},
      {"alg none, no dot", none_header + "." + admin_payload},
      {"another key",
       hs_header + "." + admin_payload + "." + B64(HmacSha256(other_key, hs_header + "." + admin_payload))},
      {"RS256 header", rs_header + "." + parts[1] + "." + parts[2]},
      {"tampered payload", parts[0] + "." + admin_payload + "." + parts[2]},
      {"signature cut", parts[0] + "." + parts[1] + "."},
  };
  for (const auto& [name, token] : forgeries) {
    auto r = Get("/api/users/me", Bearer(token));
    EXPECT_EQ(r.status, 401) << name;
    EXPECT_EQ(Get("/api/admin/users/1", Bearer(token)).status, 401) << name;
  }
  EXPECT_EQ(Get("/api/users/me", Bearer(tokens.access)).status, 200);
}

TEST_P(AuthApiTest, AccessToken_WhenThirtyMinutesPass_Answers401) {
  SignUp("a@x.com", "name1", "010-1111-2222");
  auto tokens = LoginOk("a@x.com");
  clock_->Advance(std::chrono::minutes(29));
  EXPECT_EQ(Get("/api/users/me", Bearer(tokens.access)).status, 200);
  clock_->Advance(std::chrono::minutes(1));
  auto r = Get("/api/users/me", Bearer(tokens.access));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Code(r), "UNAUTHORIZED");
}

TEST_P(AuthApiTest, UpdateMe_ChangesFieldsAndANewPasswordNeedsTheCurrentOne) {
  SignUp("a@x.com", "name1", "010-1111-2222");
  SignUp("b@x.com", "name2", "010-1111-3333");
  auto tokens = LoginOk("a@x.com");
  auto ok =
      Send("PATCH", "/api/users/me", R"({"city":"부산광역시","detailAddress":"해운대구 1"})", Bearer(tokens.access));
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(Json(ok).at("data").at("city").as_string(), "부산광역시");
  auto missing = Send("PATCH", "/api/users/me", R"({"password":"newpass1!"})", Bearer(tokens.access));
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(Json(missing).at("errors").at(0).at("field").as_string(), "currentPassword");
  auto wrong =
      Send("PATCH", "/api/users/me", R"({"password":"newpass1!","currentPassword":"nope1!xx"})", Bearer(tokens.access));
  EXPECT_EQ(wrong.status, 403);
  EXPECT_EQ(Code(wrong), "CURRENT_PASSWORD_MISMATCH");
  auto taken = Send("PATCH", "/api/users/me", R"({"displayName":"name2"})", Bearer(tokens.access));
  EXPECT_EQ(Code(taken), "DISPLAY_NAME_TAKEN");
  auto email = Send("PATCH", "/api/users/me", R"({"email":"c@x.com"})", Bearer(tokens.access));
  EXPECT_EQ(email.status, 400);
  auto changed = Send("PATCH", "/api/users/me", R"({"password":"newpass1!","currentPassword":"secret1!x"})",
                      Bearer(tokens.access));
  EXPECT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(Login("a@x.com", "secret1!x").status, 401);
  EXPECT_EQ(Login("a@x.com", "newpass1!").status, 200);
}

TEST_P(AuthApiTest, WithdrawMe_RevokesEveryTokenAndReleasesTheEmail) {
  SignUp("a@x.com", "name1", "010-1111-2222");
  auto tokens = LoginOk("a@x.com");
  auto other = LoginOk("a@x.com");
  EXPECT_EQ(Send("DELETE", "/api/users/me", R"({"password":"wrong1!x"})", Bearer(tokens.access)).status, 403);
  EXPECT_EQ(Send("DELETE", "/api/users/me", "", Bearer(tokens.access)).status, 400);
  auto r = Send("DELETE", "/api/users/me", R"({"password":"secret1!x"})", Bearer(tokens.access));
  ASSERT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(Get("/api/users/me", Bearer(tokens.access)).status, 401);
  EXPECT_EQ(Get("/api/users/me", Bearer(other.access)).status, 401);  // a withdrawn user's other token
  EXPECT_EQ(
      Send("POST", "/api/auth/refresh", boost::json::serialize(boost::json::object{{"refreshToken", other.refresh}}))
          .status,
      401);
  EXPECT_EQ(Login("a@x.com", "secret1!x").status, 401);
  SignUp("a@x.com", "name1", "010-1111-2222");  // the person may come back
}

TEST_P(AuthApiTest, AdminRoute_AnswersForbiddenToAUserAndServesTheConfiguredAdmin) {
  auto id = SignUp("a@x.com", "name1", "010-1111-2222");
  auto user = LoginOk("a@x.com");
  auto forbidden = Get("/api/admin/users/" + std::to_string(id), Bearer(user.access));
  EXPECT_EQ(forbidden.status, 403);
  EXPECT_EQ(Code(forbidden), "FORBIDDEN");
  auto admin = LoginOk(kAdminEmail, kAdminPassword);
  auto ok = Get("/api/admin/users/" + std::to_string(id), Bearer(admin.access));
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(Json(ok).at("data").at("email").as_string(), "a@x.com");
  EXPECT_EQ(Get("/api/admin/users/999999", Bearer(admin.access)).status, 404);
  EXPECT_EQ(Get("/api/admin/users/1'%20OR%201=1", Bearer(admin.access)).status, 400);
}

TEST_P(AuthApiTest, Logs_NeverContainPasswordsOrTokens) {
  std::ostringstream captured;
  infra::InitLogging(infra::LogLevel::kDebug);
  infra::SetLogStream(&captured);
  SignUp("log@x.com", "logger", "010-4444-5555");
  Login("log@x.com", "Wr0ng!secret");
  auto tokens = LoginOk("log@x.com");
  auto r =
      Send("POST", "/api/auth/refresh", boost::json::serialize(boost::json::object{{"refreshToken", tokens.refresh}}));
  auto fresh = std::string(Json(r).at("data").at("refreshToken").as_string());
  Send("POST", "/api/auth/refresh", boost::json::serialize(boost::json::object{{"refreshToken", tokens.refresh}}));
  Send("PATCH", "/api/users/me", R"({"password":"N3w!secret","currentPassword":"secret1!x"})", Bearer(tokens.access));
  Send("POST", "/api/auth/logout", "", Bearer(tokens.access));
  infra::SetLogStream(nullptr);
  infra::InitLogging(infra::LogLevel::kWarn);
  std::string log = captured.str();
  EXPECT_NE(log.find("login"), std::string::npos);  // the capture did see the requests
  for (const std::string& secret : {std::string("secret1!x"), std::string("Wr0ng!secret"), std::string("N3w!secret"),
                                    tokens.access, tokens.refresh, fresh, Split(tokens.access)[2]})
    EXPECT_EQ(log.find(secret), std::string::npos) << secret;
}

TEST_P(AuthApiTest, OpenApi_ListsTheAuthAndUserRoutes) {
  auto r = Get("/openapi.json");
  ASSERT_EQ(r.status, 200);
  for (const char* path : {"/api/users", "/api/users/me", "/api/auth/login", "/api/auth/refresh", "/api/auth/logout",
                           "/api/auth/oauth2/{provider}", "/api/auth/oauth2/{provider}/callback"})
    EXPECT_NE(r.body.find(std::string("\"") + path + "\""), std::string::npos) << path;
}

// --- OAuth ---------------------------------------------------------------

struct Started {
  std::string state;
  std::string challenge;
  std::string cookie;
};

class OAuthApiTest : public AuthApiTest {
 protected:
  Started Start(const std::string& provider) {
    auto r = Get("/api/auth/oauth2/" + provider);
    EXPECT_EQ(r.status, 302) << r.body;
    std::string location = r.Header("location");
    EXPECT_EQ(location.rfind(provider_.Base() + "/authorize?", 0), 0u) << location;
    EXPECT_NE(location.find("client_id=" + provider + "-client"), std::string::npos);
    std::string cookie = r.Header("set-cookie");
    EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
    Started s{QueryParam(location, "state"), QueryParam(location, "code_challenge"),
              cookie.substr(0, cookie.find(';'))};
    EXPECT_EQ(s.cookie, "pillivery_oauth_state=" + s.state);
    return s;
  }
  HttpResult Callback(const std::string& provider, const std::string& code, const std::string& state,
                      const std::string& cookie) {
    std::vector<std::string> headers;
    if (!cookie.empty()) headers.push_back("Cookie: theme=dark; " + cookie);
    return Get("/api/auth/oauth2/" + provider + "/callback?code=" + code + "&state=" + state, headers);
  }
};

TEST_P(OAuthApiTest, Google_FirstSignIn_CreatesTheAccountWithPkceAndAsksForTheProfile) {
  auto s = Start("google");
  EXPECT_FALSE(s.challenge.empty());
  provider_.AddGrant(
      "g-code", {R"({"sub":"g-123","email":"New@Gmail.com","email_verified":true,"name":"구글 사용자"})", s.challenge});
  auto r = Callback("google", "g-code", s.state, s.cookie);
  ASSERT_EQ(r.status, 200) << r.body;
  auto data = Json(r).at("data");
  EXPECT_FALSE(data.at("profileComplete").as_bool());
  EXPECT_TRUE(data.at("newUser").as_bool());
  auto me = Json(Get("/api/users/me", Bearer(std::string(data.at("accessToken").as_string())))).at("data");
  EXPECT_EQ(me.at("email").as_string(), "new@gmail.com");
  EXPECT_EQ(me.at("displayName").as_string(), "구글 사용자");
  EXPECT_EQ(me.at("linkedProviders"), boost::json::array{"google"});
  EXPECT_FALSE(me.at("hasPassword").as_bool());
  // The second sign-in finds the same account.
  auto again = Start("google");
  provider_.AddGrant("g-code2", {R"({"sub":"g-123","email":"new@gmail.com","email_verified":true})", again.challenge});
  auto r2 = Callback("google", "g-code2", again.state, again.cookie);
  ASSERT_EQ(r2.status, 200) << r2.body;
  EXPECT_EQ(Json(r2).at("data").at("userId"), data.at("userId"));
  EXPECT_FALSE(Json(r2).at("data").at("newUser").as_bool());
}

// A browser (the web app's Kakao/Google buttons) comes back to the app, the
// tokens in the URL fragment, which no server sees; so does a refusal.
TEST_P(OAuthApiTest, Browser_LandsInTheWebAppWithTheTokensInTheFragment) {
  auto s = Start("google");
  provider_.AddGrant("g-web", {R"({"sub":"g-web","email":"web@gmail.com","email_verified":true})", s.challenge});
  auto r = Get("/api/auth/oauth2/google/callback?code=g-web&state=" + s.state,
               {"Cookie: " + s.cookie, "Accept: text/html,application/xhtml+xml,*/*;q=0.8"});
  ASSERT_EQ(r.status, 302) << r.body;
  std::string location = r.Header("location");
  ASSERT_EQ(location.rfind("/oauth/google/callback#accessToken=", 0), 0u) << location;
  EXPECT_NE(location.find("&profileComplete=false"), std::string::npos);
  EXPECT_EQ(r.Header("cache-control"), "no-store");
  EXPECT_NE(r.Header("set-cookie").find("Max-Age=0"), std::string::npos);
  auto from = location.find('=') + 1;
  std::string access = location.substr(from, location.find('&') - from);
  auto me = Get("/api/users/me", Bearer(access));
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(Json(me).at("data").at("email").as_string(), "web@gmail.com");

  auto denied = Get("/api/auth/oauth2/kakao/callback?error=access_denied", {"Accept: text/html"});
  EXPECT_EQ(denied.status, 302);
  EXPECT_EQ(denied.Header("location"), "/oauth/kakao/callback#error=OAUTH_DENIED");
  EXPECT_EQ(Get("/api/auth/oauth2/kakao/callback?error=access_denied").status, 401);  // API clients: a problem
}

TEST_P(OAuthApiTest, Kakao_SignIn_LinksToTheAccountWithTheSameVerifiedEmail) {
  auto id = SignUp("kim@kakao.com", "kim", "010-1111-2222");
  auto s = Start("kakao");
  EXPECT_TRUE(s.challenge.empty());
  provider_.AddGrant("k-code", {R"({"id":4242,"kakao_account":{"email":"kim@kakao.com","is_email_verified":true,
                                  "is_email_valid":true,"profile":{"nickname":"kim"}}})",
                                ""});
  auto r = Callback("kakao", "k-code", s.state, s.cookie);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r).at("data").at("userId").as_int64(), id);
  EXPECT_TRUE(Json(r).at("data").at("profileComplete").as_bool());
}

TEST_P(OAuthApiTest, Kakao_WhenTheEmailIsUnverified_DoesNotLinkOrStoreIt) {
  auto id = SignUp("kim@kakao.com", "kim", "010-1111-2222");
  auto s = Start("kakao");
  provider_.AddGrant("k-code", {R"({"id":777,"kakao_account":{"email":"kim@kakao.com","is_email_verified":false,
                                  "profile":{"nickname":"kim"}}})",
                                ""});
  auto r = Callback("kakao", "k-code", s.state, s.cookie);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(Json(r).at("data").at("userId").as_int64(), id);
  auto me = Json(Get("/api/users/me", Bearer(std::string(Json(r).at("data").at("accessToken").as_string()))));
  EXPECT_TRUE(me.at("data").at("email").is_null());
  EXPECT_NE(me.at("data").at("displayName").as_string(), "kim");  // taken: a generated one instead
}

TEST_P(OAuthApiTest, Callback_WhenTheStateIsNotThisBrowsersOrIsReused_Answers400) {
  auto s = Start("google");
  provider_.AddGrant("g-code", {R"({"sub":"g-1","email":"x@gmail.com","email_verified":true})", s.challenge});
  auto attacker = Start("google");
  EXPECT_EQ(Code(Callback("google", "g-code", s.state, "")), "OAUTH_STATE_MISMATCH");
  EXPECT_EQ(Code(Callback("google", "g-code", s.state, attacker.cookie)), "OAUTH_STATE_MISMATCH");
  EXPECT_EQ(Callback("google", "g-code", s.state, s.cookie).status, 200);
  EXPECT_EQ(Callback("google", "g-code", s.state, s.cookie).status, 400);  // spent
  auto late = Start("google");
  clock_->Advance(std::chrono::minutes(11));
  EXPECT_EQ(Callback("google", "g-code", late.state, late.cookie).status, 400);
}

TEST_P(OAuthApiTest, Callback_WhenTheProviderRejectsTheCodeOrVerifier_Answers401) {
  auto s = Start("google");
  provider_.AddGrant("g-code", {R"({"sub":"g-1"})", "not-the-challenge"});
  auto r = Callback("google", "g-code", s.state, s.cookie);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Code(r), "OAUTH_FAILED");
  EXPECT_EQ(Get("/api/auth/oauth2/naver").status, 404);
  EXPECT_EQ(Get("/api/auth/oauth2/google/callback?error=access_denied").status, 401);
}

INSTANTIATE_TEST_SUITE_P(Engines, AuthApiTest, ::testing::ValuesIn(Engines()),
                         [](const auto& info) { return info.param; });
INSTANTIATE_TEST_SUITE_P(Engines, OAuthApiTest, ::testing::ValuesIn(Engines()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace pillivery::testing
