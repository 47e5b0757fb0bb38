# Every dependency is a Debian bookworm package (scripts/install-deps.sh).
find_package(Threads REQUIRED)
find_package(Boost 1.81.0 EXACT REQUIRED CONFIG COMPONENTS json url system)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(prometheus-cpp REQUIRED)
find_package(CURL REQUIRED)
find_package(OpenSSL REQUIRED)  # cpp-jwt signs HS256 with OpenSSL HMAC
find_package(ZLIB REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(MARIADB REQUIRED IMPORTED_TARGET libmariadb)
pkg_check_modules(HIREDIS REQUIRED IMPORTED_TARGET hiredis)
if(PILLIVERY_JEMALLOC)
  pkg_check_modules(JEMALLOC REQUIRED IMPORTED_TARGET jemalloc)
endif()

# SOCI 4.0.3 ships no CMake config on Debian: link the libraries by name.
find_library(SOCI_CORE soci_core REQUIRED)
find_library(SOCI_SQLITE soci_sqlite3 REQUIRED)
find_library(SOCI_MYSQL soci_mysql REQUIRED)
add_library(soci INTERFACE)
target_link_libraries(soci INTERFACE ${SOCI_CORE} ${SOCI_SQLITE} ${SOCI_MYSQL}
                      PkgConfig::SQLITE3 PkgConfig::MARIADB ${CMAKE_DL_LIBS})
target_include_directories(soci SYSTEM INTERFACE /usr/include/mysql /usr/include/mariadb)
