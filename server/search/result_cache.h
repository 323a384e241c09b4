// A bounded LRU cache of search responses, keyed by generation and request: a new
// generation never serves an old answer because its name is part of every key.
#pragma once

#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "search_types.h"

namespace kb::search {

// Thread-safe. Sharded by key hash so concurrent threads rarely wait on the same lock; each
// lock is held only to look up or insert a pointer-sized entry.
class ResultCache {
 public:
  explicit ResultCache(std::size_t capacity);  // 0 disables the cache

  std::optional<SearchResponse> get(const std::string& key);
  void put(const std::string& key, const SearchResponse& value);

  // The cache key of a request on a generation.
  static std::string key(const std::string& generation, const SearchRequest& request);

 private:
  struct Shard {
    std::mutex mutex;
    std::list<std::pair<std::string, SearchResponse>> lru;  // front = most recent
    std::unordered_map<std::string, std::list<std::pair<std::string, SearchResponse>>::iterator> index;
  };
  static constexpr std::size_t kShards = 16;
  std::size_t per_shard_;
  std::vector<Shard> shards_;
};

}  // namespace kb::search
