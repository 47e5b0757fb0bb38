#include "app/secrets.hpp"

#include "domain/error.hpp"
#include "infra/log.hpp"
#include "service/accounts/jwt_codec.hpp"
#include "service/accounts/secure_random.hpp"
#include "storage/token_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace pillivery::app {

std::string ResolveSecret(const std::optional<std::string>& configured, const std::string& name,
                          storage::Database& database) {
  if (configured) return *configured;
  std::string candidate = service::RandomToken(48);
  if (database.GetDialect() == storage::Dialect::kMariaDb)
    return storage::LoadOrCreateSecret(database, name, candidate);
  std::filesystem::path path = database.Url().sqlite_path + "." + name;
  auto read = [&]() -> std::optional<std::string> {
    std::ifstream in{path};
    std::string secret;
    if (in && std::getline(in, secret) && secret.size() >= service::JwtCodec::kMinSecretBytes) return secret;
    return std::nullopt;
  };
  if (auto secret = read()) return *secret;
  // O_EXCL with 0600 from the start: of two first starts only one writes it.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    if (auto secret = read()) return *secret;
    throw domain::Error(domain::ErrorCode::kSecretUnwritable, "cannot create " + path.string());
  }
  std::string line = candidate + "\n";
  bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  ::close(fd);
  if (!written) throw domain::Error(domain::ErrorCode::kSecretUnwritable, "cannot write " + path.string());
  infra::LogInfo("generated a secret", {{"name", name}, {"path", path.string()}});
  return candidate;
}

}  // namespace pillivery::app
