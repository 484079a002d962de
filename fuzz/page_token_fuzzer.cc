// libFuzzer target: AIP-158 page tokens (services/common/pagination.h). An
// input is Parts (fuzz_support.h): a query, a token to decode for it, a last
// key, and a page size. A decoded token of any bytes must not crash; a
// token encoded for a query gives back its key for that query only.
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "fuzz/fuzz_support.h"
#include "services/common/pagination.h"

namespace palermo::fuzz {
namespace {

std::vector<std::string> Seeds() {
  return {
      JoinParts({"", "", "", std::string(4, '\0')}),
      JoinParts({"filter=protocol.status = RATIFIED",
                 EncodePageToken("filter=protocol.status = RATIFIED",
                                 "countries/EST/legislation"),
                 "countries/HRV/legislation", "\x32\0\0\0"}),
      JoinParts({"q", EncodePageToken("other", "k"), "", "\xff\xff\xff\xff"}),
      JoinParts({"parent=-", "djE6ODpwYXJlbnQ9LWNvdW50cmllcy9FU1Q", "cases/7",
                 "\0\x10\0\0"}),
  };
}

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "page token: %s\n", what);
    std::abort();
  }
}

}  // namespace
}  // namespace palermo::fuzz

PALERMO_FUZZ_INITIALIZE(palermo::fuzz::Seeds)

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace palermo::fuzz;
  Parts parts(data, size);
  const std::string query(parts.Next());
  const std::string token(parts.Next());
  const std::string key(parts.Next());
  const absl::string_view size_bytes = parts.Next();
  Consume(palermo::DecodePageToken(token, query).status());

  const std::string encoded = palermo::EncodePageToken(query, key);
  auto decoded = palermo::DecodePageToken(encoded, query);
  Check(decoded.ok() && *decoded == key, "a token does not decode to its key");
  Check(!palermo::DecodePageToken(encoded, query + "x").ok(),
        "a token is accepted for another query");
  if (token != query) {
    Check(!palermo::DecodePageToken(encoded, token).ok(),
          "a token is accepted for another query");
  }

  int32_t requested = 0;
  if (!size_bytes.empty()) {
    std::memcpy(&requested, size_bytes.data(),
                std::min(size_bytes.size(), sizeof requested));
  }
  auto page_size = palermo::EffectivePageSize(requested);
  Consume(page_size.status());
  if (page_size.ok()) {
    Check(*page_size >= 1 && *page_size <= palermo::kMaxPageSize,
          "page size out of range");
  }
  return 0;
}
