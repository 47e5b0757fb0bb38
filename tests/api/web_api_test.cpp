// The web app served by the API server (files, client-route fallback, caching,
// gzip, no escape from the web root) and item images (generated packshots,
// admin uploads), over real HTTP on both engines.
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <filesystem>
#include <fstream>

#include "http/gzip.hpp"
#include "http/raw_client.hpp"
#include "service/catalog/packshot_svg.hpp"
#include "support/api_fixture.hpp"

namespace pillivery::testing {
namespace {

const std::string kIndex = "<!doctype html><html lang=\"ko\"><title>필리버리</title><div id=\"root\"></div></html>";
const std::string kScript = "console.log('store');" + std::string(4000, ' ') + "export{};";

void WriteFile(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

std::string Png(std::size_t size = 64) {
  std::string bytes("\x89PNG\r\n\x1a\n", 8);
  bytes.resize(size, 'p');
  return bytes;
}

class WebApiTest : public ApiTest {
 protected:
  void SetUp() override {
    config_.admin_email = "admin@pillivery.test";
    config_.admin_password = "Admin-pass-1234";
    ApiTest::SetUp();
  }
  void Configure(infra::Config& config) override {
    auto web = dir_.Path() / "web";
    WriteFile(web / "index.html", kIndex);
    WriteFile(web / "assets" / "index-B3x9_aZ1.js", kScript);
    WriteFile(web / "robots.txt", "User-agent: *\n");
    WriteFile(dir_.Path() / "secret.txt", "not for the web");
    std::filesystem::create_directory_symlink(dir_.Path(), web / "escape");
    config.web_root = web.string();
    config.image_dir = (dir_.Path() / "images").string();
  }
  std::string Login(const std::string& email, const std::string& password) {
    auto r = Send("POST", "/api/auth/login",
                  boost::json::serialize(boost::json::object{{"email", email}, {"password", password}}));
    EXPECT_EQ(r.status, 200) << r.body;
    return "Authorization: Bearer " + std::string(Json(r).at("data").at("accessToken").as_string());
  }
  std::string Admin() { return Login("admin@pillivery.test", "Admin-pass-1234"); }
  std::string Customer() {
    auto created = Send("POST", "/api/users",
                        R"({"email":"kim@example.com","password":"Passw0rd!","displayName":"kim","realName":"김철수",)"
                        R"("phone":"010-2222-3333","city":"서울","detailAddress":"종로구 1"})");
    EXPECT_EQ(created.status, 201) << created.body;
    return Login("kim@example.com", "Passw0rd!");
  }
  http::testing::RawResponse Raw(const std::string& target) {
    auto port = static_cast<std::uint16_t>(std::stoi(base_.substr(base_.rfind(':') + 1)));
    http::testing::RawClient client(port);
    client.Send("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    auto response = client.Read();
    EXPECT_TRUE(response.has_value()) << target;
    return response.value_or(http::testing::RawResponse{});
  }
};

TEST_P(WebApiTest, ClientRoutesGetIndexHtmlThatIsNeverCached) {
  for (const char* path :
       {"/", "/items/3", "/payment/result?orderId=7&result=approved", "/my/subscriptions/2", "/admin/orders/"}) {
    auto r = Get(path);
    ASSERT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.body, kIndex) << path;
    EXPECT_EQ(r.Header("content-type"), "text/html; charset=utf-8");
    EXPECT_EQ(r.Header("cache-control"), "no-cache");
  }
  EXPECT_EQ(Get("/robots.txt").body, "User-agent: *\n");
}

TEST_P(WebApiTest, HashedAssetsAreImmutableAndGzipped) {
  auto plain = Get("/assets/index-B3x9_aZ1.js");
  ASSERT_EQ(plain.status, 200);
  EXPECT_EQ(plain.body, kScript);
  EXPECT_EQ(plain.Header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(plain.Header("cache-control"), "public, max-age=31536000, immutable");
  auto port = static_cast<std::uint16_t>(std::stoi(base_.substr(base_.rfind(':') + 1)));
  http::testing::RawClient client(port);
  client.Send("GET /assets/index-B3x9_aZ1.js HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n");
  auto zipped = client.Read();
  ASSERT_TRUE(zipped);
  EXPECT_EQ(zipped->Header("content-encoding"), "gzip");
  EXPECT_LT(zipped->body.size(), kScript.size() / 4);
  EXPECT_EQ(zipped->Header("vary"), "Accept-Encoding");
}

TEST_P(WebApiTest, ApiLikePathsAndMissingFilesAnswer404ProblemsNotTheApp) {
  for (const char* path : {"/api/nope", "/api/items/1/nope", "/internal/x", "/health/x", "/metrics/x", "/docs/x",
                           "/images/nope/1", "/assets/index-gone1234.js", "/favicon.ico"}) {
    auto r = Get(path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.Header("content-type"), "application/problem+json") << path;
  }
  EXPECT_EQ(Send("POST", "/items/3").status, 404);  // only GET and HEAD reach the app
  EXPECT_EQ(Get("/api/items/1").status, 200);       // routes still win over the fallback
  EXPECT_EQ(Get("/health/live").status, 200);
}

TEST_P(WebApiTest, NoPathLeavesTheWebRoot) {
  for (const char* target :
       {"/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt", "/assets/%2e%2e/%2e%2e/secret.txt",
        "/escape/secret.txt", "/..%5csecret.txt", "/robots.txt%00.html", "//etc/passwd", "/./robots.txt"}) {
    auto r = Raw(target);
    EXPECT_NE(r.body, "not for the web") << target;
    EXPECT_TRUE(r.status == 404 || r.status == 400 || (r.status == 200 && r.body == kIndex))
        << target << " " << r.status;
  }
}

TEST_P(WebApiTest, EveryItemHasAGeneratedPackshotByItsForm) {
  auto item = Json(Get("/api/items/1")).at("data");
  // The fixture stores an image URL for item 1; the list shows what is stored.
  EXPECT_EQ(item.at("thumbnailUrl").as_string(), "https://img.example/1.jpg");
  auto svg = Get("/images/items/1.svg");
  ASSERT_EQ(svg.status, 200) << svg.body;
  EXPECT_EQ(svg.Header("content-type"), "image/svg+xml");
  EXPECT_NE(svg.body.find("data-form='capsule'"), std::string::npos);  // the fixture's shape is 캡슐
  EXPECT_NE(svg.body.find("루테인 지아잔틴"), std::string::npos);
  EXPECT_EQ(Get("/images/items/1.svg").body, svg.body);  // deterministic
  EXPECT_NE(Get("/images/items/2.svg").body, svg.body);
  EXPECT_EQ(Get("/images/items/8.svg").status, 200);  // hidden items too (the admin console lists them)
  for (const char* path : {"/images/items/999.svg", "/images/items/abc.svg", "/images/items/0.svg", "/images/items/1",
                           "/images/items/-1"}) {
    auto r = Get(path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.Header("content-type"), "application/problem+json") << path;
  }

  // An item without a stored image points at its packshot.
  auto admin = Admin();
  auto patched = Send("PATCH", "/api/admin/items/2", R"({"thumbnailUrl":"","shape":"분말"})", {admin});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(Json(Get("/api/items/2")).at("data").at("thumbnailUrl").as_string(), "/images/items/2.svg");
  EXPECT_NE(Get("/images/items/2.svg").body.find("data-form='powder'"), std::string::npos);
}

TEST_P(WebApiTest, AnAdminUploadReplacesTheImageWithinTypeAndSizeLimits) {
  auto admin = Admin();
  auto customer = Customer();
  std::vector<std::string> png{admin, "Content-Type: image/png"};
  EXPECT_EQ(Send("PUT", "/api/admin/items/3/image", Png(), {"Content-Type: image/png"}).status, 401);
  EXPECT_EQ(Send("PUT", "/api/admin/items/3/image", Png(), {customer, "Content-Type: image/png"}).status, 403);
  auto gif = Send("PUT", "/api/admin/items/3/image", "GIF89a....", {admin, "Content-Type: image/gif"});
  EXPECT_EQ(gif.status, 415);
  EXPECT_EQ(Json(gif).at("code").as_string(), "UNSUPPORTED_MEDIA_TYPE");
  auto big = Send("PUT", "/api/admin/items/3/image", Png(2 * 1024 * 1024 + 1), png);
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(Json(big).at("code").as_string(), "IMAGE_TOO_LARGE");
  auto lying = Send("PUT", "/api/admin/items/3/image", "<svg onload=alert(1)>", png);
  EXPECT_EQ(lying.status, 400);
  EXPECT_EQ(Json(lying).at("errors").at(0).at("field").as_string(), "image");
  EXPECT_EQ(Send("PUT", "/api/admin/items/3/image", "", png).status, 400);
  EXPECT_EQ(Send("PUT", "/api/admin/items/999/image", Png(), png).status, 404);
  // Nothing changed.
  EXPECT_EQ(Json(Get("/api/items/3")).at("data").at("thumbnailUrl").as_string(), "https://img.example/1.jpg");
  EXPECT_EQ(Get("/images/items/3").status, 404);

  auto uploaded = Send("PUT", "/api/admin/items/3/image", Png(2 * 1024 * 1024), png);
  ASSERT_EQ(uploaded.status, 200) << uploaded.body;
  std::string url(Json(uploaded).at("data").at("thumbnailUrl").as_string());
  EXPECT_TRUE(url.starts_with("/images/items/3?v=")) << url;
  EXPECT_EQ(Json(Get("/api/items/3")).at("data").at("thumbnailUrl").as_string(), url);  // caches invalidated
  auto image = Get(url);
  ASSERT_EQ(image.status, 200);
  EXPECT_EQ(image.Header("content-type"), "image/png");
  EXPECT_EQ(image.body, Png(2 * 1024 * 1024));
  EXPECT_EQ(image.Header("cache-control"), "public, max-age=31536000, immutable");

  // A JPEG replaces the PNG: a new URL, the old bytes gone.
  std::string jpeg("\xFF\xD8\xFF\xE0jpegdata", 11);
  auto replaced = Send("PUT", "/api/admin/items/3/image", jpeg, {admin, "Content-Type: image/jpeg"});
  ASSERT_EQ(replaced.status, 200) << replaced.body;
  EXPECT_NE(Json(replaced).at("data").at("thumbnailUrl").as_string(), url);
  auto now = Get("/images/items/3");
  EXPECT_EQ(now.Header("content-type"), "image/jpeg");
  EXPECT_EQ(now.body, jpeg);
  EXPECT_EQ(now.Header("cache-control"), "no-cache");
}

INSTANTIATE_TEST_SUITE_P(Engines, WebApiTest, ::testing::ValuesIn(Engines()),
                         [](const auto& info) { return info.param; });

// Without a web root nothing is served at / (the API alone, as before).
class NoWebRootApiTest : public ApiTest {};

TEST_P(NoWebRootApiTest, UnknownPathsStay404Problems) {
  auto r = Get("/items/3");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.Header("content-type"), "application/problem+json");
}

INSTANTIATE_TEST_SUITE_P(Engines, NoWebRootApiTest, ::testing::ValuesIn(Engines()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace pillivery::testing

namespace pillivery::testing {
namespace {

TEST(Packshot, DrawsTheFormNamedByTheShapeAndEscapesTheLabel) {
  using service::FormOfShape;
  using service::ProductForm;
  EXPECT_EQ(FormOfShape("연질캡슐"), ProductForm::kCapsule);
  EXPECT_EQ(FormOfShape("정제"), ProductForm::kTablet);
  EXPECT_EQ(FormOfShape("환"), ProductForm::kTablet);
  EXPECT_EQ(FormOfShape(""), ProductForm::kTablet);
  EXPECT_EQ(FormOfShape("분말"), ProductForm::kPowder);
  EXPECT_EQ(FormOfShape("과립"), ProductForm::kPowder);
  EXPECT_EQ(FormOfShape("액상"), ProductForm::kLiquid);
  EXPECT_EQ(FormOfShape("시럽"), ProductForm::kLiquid);

  domain::Item item;
  item.id = 42;
  item.product_name = "<b>\"홍삼\" & 'Co'</b>";
  item.enterprise = "정관장";
  item.shape = "액상";
  auto svg = service::PackshotSvg(item);
  EXPECT_NE(svg.find("data-form='liquid'"), std::string::npos);
  EXPECT_EQ(svg.find("<b>"), std::string::npos);
  EXPECT_NE(svg.find("&lt;b&gt;&quot;홍삼&quot; &amp; &apos;Co&apos;&lt;/b&gt;"), std::string::npos);
  EXPECT_EQ(service::PackshotSvg(item), svg);

  // A long name: two lines of 14 characters, cut between UTF-8 characters, then an ellipsis.
  item.product_name = "가나다라마바사아자차카타파하가나다라마바사아자차카타파하가나다";
  item.shape = "정제";
  svg = service::PackshotSvg(item);
  EXPECT_NE(svg.find(">가나다라마바사아자차카타파하<"), std::string::npos);
  EXPECT_NE(svg.find(">가나다라마바사아자차카타파하…<"), std::string::npos);
  EXPECT_NE(svg.find("data-form='tablet'"), std::string::npos);
  item.shape = "분말";
  EXPECT_NE(service::PackshotSvg(item).find("data-form='powder'"), std::string::npos);

  EXPECT_EQ(service::ThumbnailUrlOf(7, ""), "/images/items/7.svg");
  EXPECT_EQ(service::ThumbnailUrlOf(7, "/images/items/7?v=abc"), "/images/items/7?v=abc");
}

}  // namespace
}  // namespace pillivery::testing
