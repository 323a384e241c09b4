# Imported targets for every third-party dependency (all from Debian packages).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)

# Xapian's CMake config sets bare variables and defines no target: wrap them in one.
find_package(xapian 1.4 REQUIRED CONFIG)
if(NOT TARGET kb::xapian)
  add_library(kb::xapian INTERFACE IMPORTED)
  set_target_properties(kb::xapian PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${XAPIAN_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "${XAPIAN_LIBRARIES}")
endif()

# cpp-httplib is a compiled library in Debian: its pkg-config flags (SSL, zlib, brotli
# defines) must match the ones it was built with, or class layouts differ.
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
if(NOT TARGET kb::httplib)
  add_library(kb::httplib INTERFACE IMPORTED)
  set_target_properties(kb::httplib PROPERTIES
    INTERFACE_LINK_LIBRARIES "PkgConfig::HTTPLIB;Threads::Threads")
endif()

pkg_check_modules(ICU REQUIRED IMPORTED_TARGET icu-uc icu-i18n)
if(NOT TARGET kb::icu)
  add_library(kb::icu INTERFACE IMPORTED)
  set_target_properties(kb::icu PROPERTIES INTERFACE_LINK_LIBRARIES "PkgConfig::ICU")
endif()

find_package(yaml-cpp REQUIRED CONFIG)
find_package(nlohmann_json 3 REQUIRED CONFIG)
find_package(doctest REQUIRED CONFIG)

# Debian's cmark CMake config requires the cmark executable (another package): use pkg-config.
pkg_check_modules(CMARK REQUIRED IMPORTED_TARGET libcmark)
if(NOT TARGET kb::cmark)
  add_library(kb::cmark INTERFACE IMPORTED)
  set_target_properties(kb::cmark PROPERTIES INTERFACE_LINK_LIBRARIES "PkgConfig::CMARK")
endif()

# Compact Language Detector 2 (Debian libcld2-dev): no CMake or pkg-config file, so find it.
find_path(CLD2_INCLUDE_DIR cld2/public/compact_lang_det.h REQUIRED)
find_library(CLD2_LIBRARY cld2 REQUIRED)
if(NOT TARGET kb::cld2)
  add_library(kb::cld2 INTERFACE IMPORTED)
  set_target_properties(kb::cld2 PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${CLD2_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "${CLD2_LIBRARY}")
endif()

# libxml2's HTML parser (Debian libxml2-dev), tolerant of real-world HTML: help-center pages
# and Zendesk article bodies.
pkg_check_modules(LIBXML2 REQUIRED IMPORTED_TARGET libxml-2.0)
if(NOT TARGET kb::libxml2)
  add_library(kb::libxml2 INTERFACE IMPORTED)
  set_target_properties(kb::libxml2 PROPERTIES INTERFACE_LINK_LIBRARIES "PkgConfig::LIBXML2")
endif()

# SQLite (Debian libsqlite3-dev) for the event store (server/events): CMake's FindSQLite3
# defines SQLite::SQLite3.
find_package(SQLite3 REQUIRED)
