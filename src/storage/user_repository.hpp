#pragma once
// Users and their linked social identities on either engine.
#include "domain/user.hpp"
#include "infra/clock.hpp"
#include "storage/database.hpp"
#include "storage/unit_of_work.hpp"

#include <functional>
#include <optional>
#include <string>

namespace pillivery::storage {

class UserRepository {
 public:
  // `clock` stamps created_at/updated_at (real time, not the business clock).
  UserRepository(Database& db, const infra::Clock& clock) : db_(db), clock_(clock) {}

  // Returns the new id. A taken email, display name or phone throws 409
  // EMAIL_TAKEN / DISPLAY_NAME_TAKEN / PHONE_TAKEN, decided by the unique
  // index the database reports, so concurrent sign-ups get the same answer.
  std::int64_t Insert(const domain::User& user);
  // Writes every mutable column (profile, password hash, roles, status); same 409s.
  void Update(const domain::User& user);
  std::optional<domain::User> FindById(std::int64_t id);
  std::optional<domain::User> FindByEmail(const std::string& normalized_email);
  std::optional<domain::User> FindByIdentity(const std::string& provider, const std::string& subject);
  // Idempotent; false when the identity already belongs to another user.
  bool LinkIdentity(std::int64_t user_id, const domain::SocialIdentity& identity);
  // WITHDRAWN, personal data cleared and the unique email/name/phone released
  // (a person may sign up again), social identities unlinked.
  // In the caller's unit of work, after the work that goes with it (ending the
  // user's subscriptions locks their rows, then this the user's: a billing
  // claim locks a subscription, then reads its user, so the two take their
  // locks in one order). Without one, in its own.
  void Withdraw(UnitOfWork& work, std::int64_t user_id);
  void Withdraw(std::int64_t user_id);

 private:
  std::optional<domain::User> FindWhere(const std::string& where, const std::string& text, long long number);
  std::string Now() const { return infra::FormatIsoTime(clock_.Now()); }
  Database& db_;
  const infra::Clock& clock_;
};

}  // namespace pillivery::storage
