#pragma once
// What the outbox events do. Database handlers run in the processor's
// transaction (their effect is fenced, so it happens once); external ones call
// the gateway or the notifier with no transaction open and are idempotent.
#include "events/outbox_processor.hpp"
#include "payment/gateway.hpp"
#include "service/notices/notifier.hpp"

#include <string>

namespace pillivery::service {

struct EventHandlerSettings {
  std::string one_time_cid = "TC0ONETIME";
  std::string recurring_cid = "TCSUBSCRIP";
};

void RegisterEventHandlers(events::OutboxProcessor& processor, payment::Gateway& gateway, Notifier& notifier,
                           const EventHandlerSettings& settings = {});

}  // namespace pillivery::service
