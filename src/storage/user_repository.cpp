#include "storage/user_repository.hpp"

#include "infra/clock.hpp"
#include "storage/row_reader.hpp"
#include "storage/unit_of_work_session.hpp"

namespace pillivery::storage {

using domain::Error;
using domain::ErrorCode;
using domain::User;

namespace {

constexpr const char* kColumns =
    "id, email, password_hash, display_name, real_name, phone, city, detail_address, roles, status, created_at";

User ReadUser(const soci::row& r) {
  User user;
  user.id = GetInt64(r, 0);
  user.email = GetOptionalString(r, 1);
  user.password_hash = GetOptionalString(r, 2);
  user.display_name = GetString(r, 3);
  user.real_name = GetString(r, 4);
  user.phone = GetOptionalString(r, 5);
  user.city = GetString(r, 6);
  user.detail_address = GetString(r, 7);
  user.roles = domain::SplitRoles(GetString(r, 8));
  user.status = domain::ParseUserStatus(GetString(r, 9)).value_or(domain::UserStatus::kWithdrawn);
  user.created_at = GetString(r, 10);
  return user;
}

void ReadIdentities(soci::session& session, User& user) {
  long long id = user.id;
  soci::rowset<soci::row> rows =
      (session.prepare << "SELECT provider, subject FROM user_identities WHERE user_id = :id ORDER BY provider",
       soci::use(id));
  for (const auto& row : rows) user.identities.push_back({GetString(row, 0), GetString(row, 1)});
}

// Which unique index a violation names: SQLite says "UNIQUE constraint failed:
// users.email", MariaDB "Duplicate entry '…' for key 'ux_users_email'".
[[noreturn]] void RethrowAsConflict(const soci::soci_error& error) {
  std::string what = error.what();
  auto names = [&](const char* column) {
    return what.find(std::string("users.") + column) != std::string::npos ||
           what.find(std::string("ux_users_") + column) != std::string::npos;
  };
  if (names("email")) throw Error(ErrorCode::kEmailTaken, "The email is already registered.");
  if (names("display_name")) throw Error(ErrorCode::kDisplayNameTaken, "The display name is already taken.");
  if (names("phone")) throw Error(ErrorCode::kPhoneTaken, "The phone number is already registered.");
  throw;
}

// Holds the bound values of a user row for the duration of one statement.
struct UserBindings {
  UserBindings(const User& u, std::string stamp)
      : email(u.email.value_or("")),
        email_ind(u.email ? soci::i_ok : soci::i_null),
        hash(u.password_hash.value_or("")),
        hash_ind(u.password_hash ? soci::i_ok : soci::i_null),
        phone(u.phone.value_or("")),
        phone_ind(u.phone ? soci::i_ok : soci::i_null),
        roles(domain::JoinRoles(u.roles)),
        status(domain::CodeOf(u.status)),
        now(std::move(stamp)) {}
  std::string email;
  soci::indicator email_ind;
  std::string hash;
  soci::indicator hash_ind;
  std::string phone;
  soci::indicator phone_ind;
  std::string roles;
  std::string status;
  std::string now;
};

}  // namespace

std::int64_t UserRepository::Insert(const User& user) {
  auto lease = db_.Acquire();
  UserBindings b(user, Now());
  try {
    Transaction tx(*lease, db_.GetDialect());
    *lease << "INSERT INTO users(email, password_hash, display_name, real_name, phone, city, detail_address, roles, "
              "status, created_at, updated_at) VALUES(:em, :pw, :dn, :rn, :ph, :ci, :da, :ro, :st, :ca, :ua)",
        soci::use(b.email, b.email_ind), soci::use(b.hash, b.hash_ind), soci::use(user.display_name),
        soci::use(user.real_name), soci::use(b.phone, b.phone_ind), soci::use(user.city),
        soci::use(user.detail_address), soci::use(b.roles), soci::use(b.status), soci::use(b.now), soci::use(b.now);
    std::int64_t id = LastInsertId(*lease, db_.GetDialect());
    tx.Commit();
    return id;
  } catch (const soci::soci_error& error) {
    RethrowAsConflict(error);
  }
}

void UserRepository::Update(const User& user) {
  auto lease = db_.Acquire();
  UserBindings b(user, Now());
  long long id = user.id;
  try {
    *lease << "UPDATE users SET email = :em, password_hash = :pw, display_name = :dn, real_name = :rn, phone = :ph, "
              "city = :ci, detail_address = :da, roles = :ro, status = :st, updated_at = :ua WHERE id = :id",
        soci::use(b.email, b.email_ind), soci::use(b.hash, b.hash_ind), soci::use(user.display_name),
        soci::use(user.real_name), soci::use(b.phone, b.phone_ind), soci::use(user.city),
        soci::use(user.detail_address), soci::use(b.roles), soci::use(b.status), soci::use(b.now), soci::use(id);
  } catch (const soci::soci_error& error) {
    RethrowAsConflict(error);
  }
}

std::optional<User> UserRepository::FindById(std::int64_t id) { return FindWhere("id = :k", "", id); }

std::optional<User> UserRepository::FindByEmail(const std::string& normalized_email) {
  return FindWhere("email = :k", normalized_email, 0);
}

std::optional<User> UserRepository::FindByIdentity(const std::string& provider, const std::string& subject) {
  long long user_id = 0;
  {
    auto lease = db_.Acquire();
    soci::indicator ind = soci::i_null;
    *lease << "SELECT user_id FROM user_identities WHERE provider = :p AND subject = :s", soci::use(provider),
        soci::use(subject), soci::into(user_id, ind);
    if (!lease->got_data() || ind != soci::i_ok) return std::nullopt;
  }
  return FindById(user_id);
}

std::optional<User> UserRepository::FindWhere(const std::string& where, const std::string& text, long long number) {
  auto lease = db_.Acquire();
  std::optional<User> found;
  {
    auto prep = lease->prepare << std::string("SELECT ") + kColumns + " FROM users WHERE " + where;
    if (text.empty())
      prep, soci::use(number, "k");
    else
      prep, soci::use(text, "k");
    soci::rowset<soci::row> rows(prep);
    for (const auto& row : rows) {
      found = ReadUser(row);
      break;
    }
  }
  if (found) ReadIdentities(*lease, *found);
  return found;
}

bool UserRepository::LinkIdentity(std::int64_t user_id, const domain::SocialIdentity& identity) {
  auto lease = db_.Acquire();
  long long id = user_id;
  std::string now = Now();
  *lease << std::string(InsertIgnore(db_.GetDialect())) +
                " INTO user_identities(provider, subject, user_id, created_at) VALUES(:p, :s, :u, :c)",
      soci::use(identity.provider), soci::use(identity.subject), soci::use(id), soci::use(now);
  long long owner = 0;
  *lease << "SELECT user_id FROM user_identities WHERE provider = :p AND subject = :s", soci::use(identity.provider),
      soci::use(identity.subject), soci::into(owner);
  return owner == id;
}

void UserRepository::Withdraw(std::int64_t user_id) {
  UnitOfWork work(db_);
  Withdraw(work, user_id);
  work.Commit();
}

void UserRepository::Withdraw(UnitOfWork& work, std::int64_t user_id) {
  soci::session& session = SessionOf(work);
  long long id = user_id;
  std::string now = Now();
  std::string tombstone =
      std::string(domain::kWithdrawnNamePrefix) + std::to_string(user_id);  // keeps display_name unique and NOT NULL
  session << "UPDATE users SET status = 'WITHDRAWN', email = NULL, password_hash = NULL, phone = NULL, "
             "display_name = :dn, real_name = '', city = '', detail_address = '', withdrawn_at = :w, updated_at = :u "
             "WHERE id = :id",
      soci::use(tombstone), soci::use(now), soci::use(now), soci::use(id);
  session << "DELETE FROM user_identities WHERE user_id = :id", soci::use(id);
}

}  // namespace pillivery::storage
