#pragma once
// The API server with a hand-moved clock, cheap password hashing, an admin
// from config and a fake OAuth provider (Kakao and Google shaped) over real HTTP.
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "service/accounts/secure_random.hpp"
#include "support/api_fixture.hpp"

namespace pillivery::testing {

// A tiny HTTP/1.1 server on 127.0.0.1:0 playing both providers' token and
// user-info endpoints. The test registers which code yields which profile.
class FakeOAuthProvider {
 public:
  struct Grant {
    std::string userinfo_json;
    std::string code_challenge;  // PKCE S256 expected, empty for none
  };

  FakeOAuthProvider() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(fd_, 16);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~FakeOAuthProvider() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  std::string Base() const { return "http://127.0.0.1:" + std::to_string(port_); }
  void AddGrant(const std::string& code, Grant grant) {
    std::lock_guard lock(mutex_);
    grants_[code] = std::move(grant);
  }
  int TokenCalls() const { return token_calls_; }

 private:
  static std::string FormValue(const std::string& body, const std::string& name) {
    std::string key = name + "=";
    size_t pos = 0;
    while (pos < body.size()) {
      size_t amp = body.find('&', pos);
      std::string pair = body.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
      if (pair.rfind(key, 0) == 0) return pair.substr(key.size());  // test values need no decoding
      if (amp == std::string::npos) break;
      pos = amp + 1;
    }
    return {};
  }
  static void Answer(int client, int status, const std::string& body) {
    std::string head = "HTTP/1.1 " + std::to_string(status) +
                       " X\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                       "\r\nConnection: close\r\n\r\n";
    std::string all = head + body;
    ::send(client, all.data(), all.size(), MSG_NOSIGNAL);
  }
  void Handle(int client) {
    std::string request;
    char buffer[4096];
    size_t header_end = std::string::npos;
    size_t content_length = 0;
    while (true) {
      ssize_t n = ::recv(client, buffer, sizeof buffer, 0);
      if (n <= 0) return;
      request.append(buffer, n);
      if (header_end == std::string::npos && (header_end = request.find("\r\n\r\n")) != std::string::npos) {
        auto cl = request.find("Content-Length: ");
        if (cl != std::string::npos && cl < header_end) content_length = std::stoul(request.substr(cl + 16));
      }
      if (header_end != std::string::npos && request.size() >= header_end + 4 + content_length) break;
    }
    std::string body = request.substr(header_end + 4);
    std::lock_guard lock(mutex_);
    if (request.rfind("POST /token", 0) == 0) {
      ++token_calls_;
      auto it = grants_.find(FormValue(body, "code"));
      if (it == grants_.end() || FormValue(body, "grant_type") != "authorization_code")
        return Answer(client, 400, R"({"error":"invalid_grant"})");
      if (!it->second.code_challenge.empty() &&
          service::Sha256Base64Url(FormValue(body, "code_verifier")) != it->second.code_challenge)
        return Answer(client, 400, R"({"error":"invalid_grant","error_description":"PKCE"})");
      return Answer(client, 200, R"({"access_token":"at-)" + it->first + R"(","token_type":"bearer"})");
    }
    if (request.rfind("GET /userinfo", 0) == 0) {
      for (const auto& [code, grant] : grants_)
        if (request.find("Authorization: Bearer at-" + code + "\r\n") != std::string::npos)
          return Answer(client, 200, grant.userinfo_json);
      return Answer(client, 401, R"({"error":"invalid_token"})");
    }
    Answer(client, 404, "{}");
  }
  void Serve() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      int client = ::accept(fd_, nullptr, nullptr);
      if (client < 0) continue;
      Handle(client);
      ::close(client);
    }
  }

  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::mutex mutex_;
  std::map<std::string, Grant> grants_;
  std::atomic<int> token_calls_{0};
};

class AuthApiTest : public ApiTest {
 protected:
  static constexpr const char* kAdminEmail = "admin@pillivery.dev";
  static constexpr const char* kAdminPassword = "Adm1n!pass";

  void Configure(infra::Config& config) override {
    config.admin_email = kAdminEmail;
    config.admin_password = kAdminPassword;
    config.kakao_client_id = "kakao-client";
    config.kakao_authorize_url = provider_.Base() + "/authorize";
    config.kakao_token_url = provider_.Base() + "/token";
    config.kakao_userinfo_url = provider_.Base() + "/userinfo";
    config.google_client_id = "google-client";
    config.google_client_secret = "google-secret";
    config.google_authorize_url = provider_.Base() + "/authorize";
    config.google_token_url = provider_.Base() + "/token";
    config.google_userinfo_url = provider_.Base() + "/userinfo";
  }
  app::ApplicationOverrides Overrides() override {
    clock_ = std::make_shared<infra::ManualClock>(std::chrono::system_clock::now());
    return {clock_, true};
  }

  static std::string SignUpBody(const std::string& email, const std::string& name, const std::string& phone,
                                const std::string& password = "secret1!x") {
    boost::json::object body{{"email", email},
                             {"password", password},
                             {"displayName", name},
                             {"realName", "김철수"},
                             {"phone", phone},
                             {"city", "서울특별시"},
                             {"detailAddress", "강남구 테헤란로 1"}};
    return boost::json::serialize(body);
  }
  std::int64_t SignUp(const std::string& email, const std::string& name, const std::string& phone) {
    auto r = Send("POST", "/api/users", SignUpBody(email, name, phone));
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? Json(r).at("data").at("userId").as_int64() : 0;
  }
  HttpResult Login(const std::string& email, const std::string& password) {
    return Send("POST", "/api/auth/login",
                boost::json::serialize(boost::json::object{{"email", email}, {"password", password}}));
  }
  struct Tokens {
    std::string access;
    std::string refresh;
  };
  Tokens LoginOk(const std::string& email, const std::string& password = "secret1!x") {
    auto r = Login(email, password);
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status != 200) return {};
    auto data = Json(r).at("data");
    return {std::string(data.at("accessToken").as_string()), std::string(data.at("refreshToken").as_string())};
  }
  static std::vector<std::string> Bearer(const std::string& token) { return {"Authorization: Bearer " + token}; }
  static std::string Code(const HttpResult& r) {
    auto v = boost::json::parse(r.body);
    return v.is_object() && v.as_object().contains("code") ? std::string(v.at("code").as_string()) : "";
  }

  FakeOAuthProvider provider_;
  std::shared_ptr<infra::ManualClock> clock_;
};

}  // namespace pillivery::testing
