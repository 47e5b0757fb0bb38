#pragma once
// Users and their linked social identities on either engine.
#include "domain/user.hpp"
#include "infra/clock.hpp"
#include "storage/database.hpp"

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
  // `also` runs in the withdrawal's transaction.
  void Withdraw(std::int64_t user_id, const std::function<void(soci::session&)>& also = {});

 private:
  std::optional<domain::User> FindWhere(const std::string& where, const std::string& text, long long number);
  std::string Now() const { return infra::FormatIsoTime(clock_.Now()); }
  Database& db_;
  const infra::Clock& clock_;
};

}  // namespace pillivery::storage
