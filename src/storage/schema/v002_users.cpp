#include "storage/migrations.hpp"

namespace pillivery::storage {

// Users, their social identities and the auth state (product.md §1 User, §2 Auth).
// Email, display name and phone are unique through named indexes, so a lost
// race between two sign-ups still ends in a 409 naming the field
// (UserRepository maps the violated index). NULL phone/email (social
// accounts) do not collide on either engine. Times in the auth tables are
// unix seconds so expiry comparisons are plain integer comparisons.
Migration SchemaV002Users() {
  return {2, "users", R"SQL(
CREATE TABLE users (
  id {{PK}},
  email {{STR}} NULL,
  password_hash VARCHAR(255) NULL,
  display_name {{STR}} NOT NULL,
  real_name {{STR}} NOT NULL DEFAULT '',
  phone VARCHAR(20) NULL,
  city {{STR}} NOT NULL DEFAULT '',
  detail_address {{STR}} NOT NULL DEFAULT '',
  roles VARCHAR(64) NOT NULL DEFAULT 'USER',
  status VARCHAR(16) NOT NULL DEFAULT 'ACTIVE',
  created_at VARCHAR(40) NOT NULL,
  updated_at VARCHAR(40) NOT NULL,
  withdrawn_at VARCHAR(40) NULL
){{TABLE}};
CREATE UNIQUE INDEX ux_users_email ON users(email);
CREATE UNIQUE INDEX ux_users_display_name ON users(display_name);
CREATE UNIQUE INDEX ux_users_phone ON users(phone);
CREATE TABLE user_identities (
  provider VARCHAR(16) NOT NULL,
  subject VARCHAR(191) NOT NULL,
  user_id BIGINT NOT NULL,
  created_at VARCHAR(40) NOT NULL,
  PRIMARY KEY (provider, subject)
){{TABLE}};
CREATE INDEX ix_user_identities_user ON user_identities(user_id);
CREATE TABLE refresh_tokens (
  token_hash CHAR(64) NOT NULL PRIMARY KEY,
  family_id CHAR(32) NOT NULL,
  user_id BIGINT NOT NULL,
  issued_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  spent INTEGER NOT NULL DEFAULT 0,
  revoked INTEGER NOT NULL DEFAULT 0
){{TABLE}};
CREATE INDEX ix_refresh_tokens_family ON refresh_tokens(family_id);
CREATE INDEX ix_refresh_tokens_user ON refresh_tokens(user_id);
CREATE INDEX ix_refresh_tokens_expiry ON refresh_tokens(expires_at);
CREATE TABLE revoked_access_tokens (
  jti CHAR(32) NOT NULL PRIMARY KEY,
  expires_at BIGINT NOT NULL
){{TABLE}};
CREATE INDEX ix_revoked_access_expiry ON revoked_access_tokens(expires_at);
CREATE TABLE login_failures (
  id {{PK}},
  scope VARCHAR(8) NOT NULL,
  subject_key CHAR(64) NOT NULL,
  failed_at BIGINT NOT NULL
){{TABLE}};
CREATE INDEX ix_login_failures_key ON login_failures(scope, subject_key, failed_at);
CREATE TABLE oauth_states (
  state CHAR(43) NOT NULL PRIMARY KEY,
  provider VARCHAR(16) NOT NULL,
  code_verifier VARCHAR(128) NOT NULL,
  expires_at BIGINT NOT NULL
){{TABLE}};
CREATE TABLE app_secrets (
  name VARCHAR(64) NOT NULL PRIMARY KEY,
  secret VARCHAR(255) NOT NULL
){{TABLE}}
)SQL"};
}

}  // namespace pillivery::storage
