#pragma once
// Wiring in one place: builds every object of the API server from the config
// and passes dependencies through constructors. Tests start it in-process.
#include "infra/clock.hpp"
#include "infra/config.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace pillivery::app {

// Test seams; production leaves them empty.
struct ApplicationOverrides {
  std::shared_ptr<infra::Clock> clock;  // default: the system clock
  bool cheap_password_hashing = false;  // the smallest argon2id cost, so suites stay fast
};

class Application {
 public:
  explicit Application(infra::Config config, bool migrate = true, const ApplicationOverrides& overrides = {});
  ~Application();

  std::uint16_t Start();  // binds and serves; returns the port
  // SIGTERM's first step: /health/ready answers 503 DRAINING and every answer
  // closes its connection, while requests are still served.
  void BeginDrain();
  void Stop();  // graceful: in-flight requests finish
  // Adds the views counted so far to items.views now (the flusher does this
  // every views.flush_seconds); returns the views added. Tests use it.
  std::int64_t FlushViews();
  // (method, pattern) of every route the server answers; the OpenAPI tests compare it with the document.
  std::vector<std::pair<std::string, std::string>> Routes() const;

 private:
  struct Parts;
  std::unique_ptr<Parts> parts_;
};

}  // namespace pillivery::app
