// Sharded LRU of search responses.
#include "result_cache.h"

#include <functional>

namespace kb::search {

ResultCache::ResultCache(std::size_t capacity)
    : per_shard_(capacity == 0 ? 0 : (capacity + kShards - 1) / kShards), shards_(kShards) {}

std::optional<SearchResponse> ResultCache::get(const std::string& key) {
  if (per_shard_ == 0) return std::nullopt;
  Shard& shard = shards_[std::hash<std::string>{}(key) % kShards];
  std::lock_guard<std::mutex> lock(shard.mutex);
  auto it = shard.index.find(key);
  if (it == shard.index.end()) return std::nullopt;
  shard.lru.splice(shard.lru.begin(), shard.lru, it->second);
  return it->second->second;
}

void ResultCache::put(const std::string& key, const SearchResponse& value) {
  if (per_shard_ == 0) return;
  Shard& shard = shards_[std::hash<std::string>{}(key) % kShards];
  std::lock_guard<std::mutex> lock(shard.mutex);
  auto it = shard.index.find(key);
  if (it != shard.index.end()) {
    it->second->second = value;
    shard.lru.splice(shard.lru.begin(), shard.lru, it->second);
    return;
  }
  shard.lru.emplace_front(key, value);
  shard.index.emplace(key, shard.lru.begin());
  if (shard.lru.size() > per_shard_) {
    shard.index.erase(shard.lru.back().first);
    shard.lru.pop_back();
  }
}

std::string ResultCache::key(const std::string& generation, const SearchRequest& r) {
  // Fields separated by a byte that cannot occur in valid UTF-8 text.
  const char sep = '\xff';
  std::string k = generation;
  for (const std::string* part : {&r.query, &r.lang, &r.channel, &r.category, &r.tag, &r.product}) {
    k += sep;
    k += *part;
  }
  k += sep;
  for (const auto& p : r.preferred) k += p + ",";
  k += sep + std::to_string(r.page) + sep + std::to_string(r.per_page) + sep +
       (r.include_internal ? "i" : "p") + (r.prefix ? "x" : "w") + (r.facets ? "f" : "n");
  return k;
}

}  // namespace kb::search
