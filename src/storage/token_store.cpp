#include "storage/token_store.hpp"

#include "storage/row_reader.hpp"

namespace pillivery::storage {

void DatabaseTokenStore::SaveRefresh(const RefreshRecord& r) {
  auto lease = db_.Acquire();
  long long user_id = r.user_id, issued = r.issued_at, expires = r.expires_at;
  *lease << "INSERT INTO refresh_tokens(token_hash, family_id, user_id, issued_at, expires_at, spent, revoked) "
            "VALUES(:h, :f, :u, :i, :e, 0, 0)",
      soci::use(r.token_hash), soci::use(r.family_id), soci::use(user_id), soci::use(issued), soci::use(expires);
}

std::optional<RefreshRecord> DatabaseTokenStore::FindRefresh(const std::string& token_hash) {
  auto lease = db_.Acquire();
  soci::rowset<soci::row> rows =
      (lease->prepare << "SELECT token_hash, family_id, user_id, issued_at, expires_at, spent, revoked "
                         "FROM refresh_tokens WHERE token_hash = :h",
       soci::use(token_hash));
  for (const auto& row : rows) {
    RefreshRecord r;
    r.token_hash = GetString(row, 0);
    r.family_id = GetString(row, 1);
    r.user_id = GetInt64(row, 2);
    r.issued_at = GetInt64(row, 3);
    r.expires_at = GetInt64(row, 4);
    r.spent = GetInt64(row, 5) != 0;
    r.revoked = GetInt64(row, 6) != 0;
    return r;
  }
  return std::nullopt;
}

bool DatabaseTokenStore::SpendRefresh(const std::string& token_hash) {
  auto lease = db_.Acquire();
  soci::statement st = (lease->prepare << "UPDATE refresh_tokens SET spent = 1 "
                                          "WHERE token_hash = :h AND spent = 0 AND revoked = 0",
                        soci::use(token_hash));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

void DatabaseTokenStore::RevokeFamily(const std::string& family_id) {
  auto lease = db_.Acquire();
  *lease << "UPDATE refresh_tokens SET revoked = 1 WHERE family_id = :f", soci::use(family_id);
}

void DatabaseTokenStore::RevokeUserRefreshTokens(std::int64_t user_id, const std::string& except_family) {
  auto lease = db_.Acquire();
  long long id = user_id;
  *lease << "UPDATE refresh_tokens SET revoked = 1 WHERE user_id = :u AND family_id <> :f", soci::use(id),
      soci::use(except_family);
}

void DatabaseTokenStore::RevokeAccess(const std::string& jti, std::int64_t expires_at) {
  auto lease = db_.Acquire();
  long long expires = expires_at;
  *lease << std::string(InsertIgnore(db_.GetDialect())) + " INTO revoked_access_tokens(jti, expires_at) VALUES(:j, :e)",
      soci::use(jti), soci::use(expires);
}

bool DatabaseTokenStore::IsAccessRevoked(const std::string& jti) {
  auto lease = db_.Acquire();
  long long found = 0;
  *lease << "SELECT COUNT(*) FROM revoked_access_tokens WHERE jti = :j", soci::use(jti), soci::into(found);
  return found > 0;
}

bool DatabaseTokenStore::IsSessionRevoked(const std::string& jti, const std::string& family_id) {
  auto lease = db_.Acquire();
  long long found = 0;
  *lease << "SELECT (SELECT COUNT(*) FROM revoked_access_tokens WHERE jti = :j) + "
            "(SELECT COUNT(*) FROM refresh_tokens WHERE family_id = :f AND revoked = 1)",
      soci::use(jti), soci::use(family_id), soci::into(found);
  return found > 0;
}

void DatabaseTokenStore::SaveOAuthState(const OAuthState& s) {
  auto lease = db_.Acquire();
  long long expires = s.expires_at;
  *lease << "INSERT INTO oauth_states(state, provider, code_verifier, expires_at) VALUES(:s, :p, :v, :e)",
      soci::use(s.state), soci::use(s.provider), soci::use(s.code_verifier), soci::use(expires);
}

std::optional<OAuthState> DatabaseTokenStore::TakeOAuthState(const std::string& state) {
  auto lease = db_.Acquire();
  std::optional<OAuthState> found;
  {
    soci::rowset<soci::row> rows =
        (lease->prepare << "SELECT state, provider, code_verifier, expires_at FROM oauth_states WHERE state = :s",
         soci::use(state));
    for (const auto& row : rows)
      found = OAuthState{GetString(row, 0), GetString(row, 1), GetString(row, 2), GetInt64(row, 3)};
  }
  if (!found) return std::nullopt;
  // Two callbacks racing for one state: only the one whose DELETE removed it may use it.
  soci::statement st = (lease->prepare << "DELETE FROM oauth_states WHERE state = :s", soci::use(state));
  st.execute(true);
  if (st.get_affected_rows() != 1) return std::nullopt;
  return found;
}

void DatabaseTokenStore::RecordLoginFailure(const std::string& scope, const std::string& key, std::int64_t at) {
  auto lease = db_.Acquire();
  long long when = at;
  *lease << "INSERT INTO login_failures(scope, subject_key, failed_at) VALUES(:s, :k, :a)", soci::use(scope),
      soci::use(key), soci::use(when);
}

TokenStore::FailureWindow DatabaseTokenStore::LoginFailuresSince(const std::string& scope, const std::string& key,
                                                                 std::int64_t since) {
  auto lease = db_.Acquire();
  long long from = since;
  long long count = 0, oldest = 0;
  soci::indicator oldest_ind = soci::i_null;
  *lease << "SELECT COUNT(*), MIN(failed_at) FROM login_failures WHERE scope = :s AND subject_key = :k "
            "AND failed_at >= :f",
      soci::use(scope), soci::use(key), soci::use(from), soci::into(count), soci::into(oldest, oldest_ind);
  return {count, oldest_ind == soci::i_ok ? oldest : 0};
}

void DatabaseTokenStore::ClearLoginFailures(const std::string& scope, const std::string& key) {
  auto lease = db_.Acquire();
  *lease << "DELETE FROM login_failures WHERE scope = :s AND subject_key = :k", soci::use(scope), soci::use(key);
}

void DatabaseTokenStore::PurgeExpired(std::int64_t now) {
  auto lease = db_.Acquire();
  long long t = now;
  long long failures_before = now - 24 * 3600;  // far past any throttle window
  *lease << "DELETE FROM refresh_tokens WHERE expires_at < :t", soci::use(t);
  *lease << "DELETE FROM revoked_access_tokens WHERE expires_at < :t", soci::use(t);
  *lease << "DELETE FROM oauth_states WHERE expires_at < :t", soci::use(t);
  *lease << "DELETE FROM login_failures WHERE failed_at < :t", soci::use(failures_before);
}

std::string LoadOrCreateSecret(Database& db, const std::string& name, const std::string& candidate) {
  auto lease = db.Acquire();
  // INSERT IGNORE then read: concurrent first starts all end up with the winner's secret.
  *lease << std::string(InsertIgnore(db.GetDialect())) + " INTO app_secrets(name, secret) VALUES(:n, :s)",
      soci::use(name), soci::use(candidate);
  std::string secret;
  *lease << "SELECT secret FROM app_secrets WHERE name = :n", soci::use(name), soci::into(secret);
  return secret;
}

}  // namespace pillivery::storage
