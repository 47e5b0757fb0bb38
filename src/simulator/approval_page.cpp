#include "simulator/approval_page.hpp"
#include "http/message.hpp"
#include "infra/html_escape.hpp"

#include <string>
#include <utility>

namespace pillivery::simulator {
using http::Request;
using http::Response;

namespace {

std::string TidOf(const Request& request) { return std::string(request.PathParam("tid").value_or("")); }

Response HtmlPage(int status, const std::string& title, const std::string& body) {
  return Response::Text(status,
                        "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + infra::HtmlEscape(title) +
                            "</title></head><body>" + body + "</body></html>",
                        "text/html; charset=utf-8");
}

Response PageError(const GatewayError& e) {
  int status = e.Code() == codes::kTidNotFound ? 404 : 409;
  return HtmlPage(status, "KakaoPay simulator",
                  "<p>" + infra::HtmlEscape(e.Message()) + " (" + std::to_string(e.Code()) + ")</p>");
}

Response AuthenticateAndRedirect(const SimulatorServices& s, const std::string& tid, PageAction action) {
  try {
    return Response::Redirect(s.gateway->Authenticate(tid, action));
  } catch (const GatewayError& e) {
    return PageError(e);
  }
}

Response ShowPage(const SimulatorServices& s, const Request& request) {
  std::string tid = TidOf(request);
  std::string_view automatic = request.QueryValue("auto").value_or("");
  if (automatic == "approve") return AuthenticateAndRedirect(s, tid, PageAction::kApprove);
  if (automatic == "quit") return AuthenticateAndRedirect(s, tid, PageAction::kQuit);
  if (automatic == "fail") return AuthenticateAndRedirect(s, tid, PageAction::kFail);
  if (!automatic.empty()) return HtmlPage(400, "KakaoPay simulator", "<p>auto must be approve, quit or fail</p>");
  std::optional<Payment> payment = s.gateway->FindByTid(tid);
  if (!payment) return PageError(GatewayError(codes::kTidNotFound, "tid not found: " + tid));
  std::string t = infra::HtmlEscape(tid);
  return HtmlPage(200, "KakaoPay simulator",
                  "<h1>KakaoPay simulator</h1><p>Payment " + t + ": " + infra::HtmlEscape(payment->item_name) + ", " +
                      std::to_string(payment->amount.total) + " KRW (" + infra::HtmlEscape(payment->status) +
                      ")</p>"
                      "<form method=\"post\" action=\"/__pay/" +
                      t +
                      "/approve\"><button type=\"submit\">pay</button></form>"
                      "<form method=\"post\" action=\"/__pay/" +
                      t +
                      "/quit\"><button type=\"submit\">quit</button></form>"
                      "<form method=\"post\" action=\"/__pay/" +
                      t + "/fail\"><button type=\"submit\">fail</button></form>");
}

}  // namespace

void AddApprovalPage(http::Router& router, const SharedServices& s) {
  router.Add("GET", "/__pay/{tid}", [s](Request& request) { return ShowPage(*s, request); });
  constexpr std::pair<const char*, PageAction> kActions[] = {
      {"approve", PageAction::kApprove}, {"quit", PageAction::kQuit}, {"fail", PageAction::kFail}};
  for (const auto& [name, action] : kActions) {
    router.Add("POST", std::string("/__pay/{tid}/") + name,
               [s, action = action](Request& request) { return AuthenticateAndRedirect(*s, TidOf(request), action); });
  }
}

}  // namespace pillivery::simulator
