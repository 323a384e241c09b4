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

# jemalloc (Debian libjemalloc-dev) as kb-index's malloc: a complete build allocates and frees
# millions of small strings and map nodes (Xapian's pending postings, the analyzer's tokens)
# on every core, and glibc's malloc spent about a seventh of the build consolidating and
# unlinking free chunks. 100k records, alternating runs: 55-58 s with glibc, 42-44 s with
# jemalloc (docs/performance.md). kb-server keeps glibc's: under jemalloc it served fewer requests.
# Not with the sanitizers, whose runtime brings its own malloc.
option(KB_JEMALLOC "Link kb-index with jemalloc" ON)
if(NOT TARGET kb::index_malloc)
  add_library(kb::index_malloc INTERFACE IMPORTED)
  if(KB_JEMALLOC AND NOT KB_SANITIZE AND NOT KB_FUZZ)
    pkg_check_modules(JEMALLOC REQUIRED IMPORTED_TARGET jemalloc)
    set_target_properties(kb::index_malloc PROPERTIES INTERFACE_LINK_LIBRARIES "PkgConfig::JEMALLOC")
  endif()
endif()
