#include "api/review_handlers.hpp"

#include "api/item_json.hpp"
#include "api/order_json.hpp"
#include "api/params.hpp"
#include "api/strict_json.hpp"

namespace pillivery::api {

namespace {
struct ReviewBody {
  std::optional<int> star;
  std::optional<std::string> content;
};
ReviewBody ParseBody(const http::Request& request) {
  auto body = StrictJsonBody(request);
  domain::Validator v;
  ReviewBody out;
  if (auto star = IntField(body, "star", v, 1, 5)) out.star = static_cast<int>(*star);
  out.content = StringField(body, "content", v);
  v.ThrowIfAny();
  return out;
}
}  // namespace

http::Response ReviewHandlers::List(http::Request& request) {
  domain::Validator v;
  auto sort = EnumQuery(request, "sort", domain::ParseReviewSort, v);
  auto page = domain::ParsePageRequest(QueryMap(request), v);
  auto item_id = PathId(request, "id");
  v.ThrowIfAny();
  auto result = reviews_.List(item_id, sort.value_or(domain::ReviewSort::kNewest), page);
  boost::json::array data;
  for (const auto& review : result.reviews) data.push_back(ReviewJson(review));
  return PageResponse(std::move(data), page, result.total);
}

http::Response ReviewHandlers::Create(http::Request& request, const domain::Principal& caller) {
  auto item_id = PathId(request, "id");
  auto body = ParseBody(request);
  return http::Response::Data(201, ReviewJson(reviews_.Create(caller.user_id, item_id, body.star, body.content)));
}

http::Response ReviewHandlers::Update(http::Request& request, const domain::Principal& caller) {
  auto review_id = PathId(request, "id");
  auto body = ParseBody(request);
  return http::Response::Data(200, ReviewJson(reviews_.Update(caller.user_id, review_id, body.star, body.content)));
}

http::Response ReviewHandlers::Delete(http::Request& request, const domain::Principal& caller) {
  reviews_.Delete(caller.user_id, PathId(request, "id"));
  return http::Response::NoContent();
}

}  // namespace pillivery::api
