#pragma once
// Storage-internal: the connection of a unit of work, for storage's .cpp files
// and the SQL that still lives beside storage (the outbox's writer and
// processor in src/events/, tests). Never include it from a header outside
// storage/.
#include "storage/unit_of_work.hpp"

#include <soci/soci.h>

namespace pillivery::storage {

struct UnitOfWorkAccess {
  static soci::session& Session(UnitOfWork& work);
};

inline soci::session& SessionOf(UnitOfWork& work) { return UnitOfWorkAccess::Session(work); }

}  // namespace pillivery::storage
