// FNV-1a, 64 bits: the one hash of content versions, build manifests, import ids and
// near-duplicate shingles.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace kb {

// The seed every stored hash was made with: FNV's 64-bit offset basis with its last digit
// missing (14695981039346656037). Stored content versions and build manifests depend on it,
// so it stays: another seed would make every article look changed once.
inline constexpr std::uint64_t kFnvSeed = 1469598103934665603ull;
inline constexpr std::uint64_t kFnvPrime = 1099511628211ull;

// FNV-1a of `bytes`, continuing from `h` (chain calls to hash several strings).
inline std::uint64_t fnv1a64(std::string_view bytes, std::uint64_t h = kFnvSeed) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= kFnvPrime;
  }
  return h;
}

// One more step with the byte 0xff, which UTF-8 text never holds: ends a field, so that
// ("ab", "c") and ("a", "bc") hash differently.
inline std::uint64_t fnv1a64_end_field(std::uint64_t h) { return (h ^ 0xff) * kFnvPrime; }

// `h` as 16 lowercase hexadecimal digits.
inline std::string hex64(std::uint64_t h) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace kb
