// How coordination resources are named (coordination_names.h).
#include "services/coordination/coordination_names.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace palermo::coordination {

std::string OwnerOfName(const std::string& name) {
  const std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  return parts.size() == 4 ? absl::StrCat(parts[0], "/", parts[1]) : "";
}

}  // namespace palermo::coordination
