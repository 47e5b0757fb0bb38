#pragma once
// OutboxProcessor's counters and gauges, shared by the files the processor is
// spread over. Internal to events/.
#include "events/outbox_processor.hpp"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>

namespace pillivery::events {

struct OutboxProcessor::Metrics {
  prometheus::Family<prometheus::Counter>& processed;
  prometheus::Family<prometheus::Counter>& failed;
  prometheus::Family<prometheus::Counter>& dead;
  prometheus::Gauge& pending;
  prometheus::Gauge& dead_now;
};

}  // namespace pillivery::events
