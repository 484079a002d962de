// Bounded pages and bounded answers: the byte accounting every list page and
// every composed answer uses, so that no stored data can make an answer
// exceed a gRPC message (limits.h has the numbers).
#ifndef PALERMO_SERVICES_COMMON_BOUNDS_H_
#define PALERMO_SERVICES_COMMON_BOUNDS_H_

#include <google/protobuf/message.h>

#include <cstddef>

#include "services/common/limits.h"

namespace palermo {

// Bytes `message` takes as an element of a repeated field: its serialized
// size with its tag and length prefix.
size_t ElementBytes(const google::protobuf::Message& message);

// Decides which records join a list page: at most `max_items`, and only
// while their bytes stay within `max_bytes`; the first record always joins,
// so that a record stored before the limits (bigger than kMaxRecordBytes)
// is still listed, alone on its page. Once a record is refused the page is
// full: every later record is refused too, and the caller ends the page with
// a next_page_token after the last record admitted.
class PageBudget {
 public:
  explicit PageBudget(int max_items, size_t max_bytes = kMaxPageBytes)
      : max_items_(max_items), max_bytes_(max_bytes) {}

  // Counts `record` into the page and returns true, or returns false if the
  // page is full.
  bool Admit(const google::protobuf::Message& record);

  int items() const { return items_; }
  size_t bytes() const { return bytes_; }
  int max_items() const { return max_items_; }

 private:
  const int max_items_;
  const size_t max_bytes_;
  int items_ = 0;
  size_t bytes_ = 0;
  bool full_ = false;
};

// Makes `answer` serialize within `max_bytes` by dropping trailing elements
// of its repeated fields (message or string), in field-number order: the
// first element that does not fit is kept in part if it is a container (a
// message without a `name`), trimmed the same way (dropped if nothing of its
// own lists is left), and every element after it, in that field and in later
// fields, is dropped. A resource (a message with a `name` field) is never
// altered: it is kept whole or dropped.
// Returns true if anything was dropped, and then also sets the answer's
// `bool truncated` field, if it has one.
bool TrimToBytes(google::protobuf::Message* answer,
                 size_t max_bytes = kMaxResponseBytes);

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_BOUNDS_H_
