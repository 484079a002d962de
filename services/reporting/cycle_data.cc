// RestrictToCycle: keeps the parts of a record whose provenance names the
// cycle, by reflection over every message that has `sources`.
#include "services/reporting/cycle_data.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/reflection.h"

namespace palermo::reporting {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

const FieldDescriptor* SourcesField(const Message& m) {
  const FieldDescriptor* f = m.GetDescriptor()->FindFieldByName("sources");
  if (f == nullptr || !f->is_repeated() ||
      f->type() != FieldDescriptor::TYPE_MESSAGE ||
      f->message_type() != common::v1::Provenance::descriptor()) {
    return nullptr;
  }
  return f;
}

// Whether messages of this type carry facts: they have `sources`, or one
// of their message fields' types does.
bool FactBearing(const google::protobuf::Descriptor* d, int depth = 0) {
  if (depth > 8) return false;
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (f->type() != FieldDescriptor::TYPE_MESSAGE) continue;
    if (f->message_type() == common::v1::Provenance::descriptor()) return true;
    if (FactBearing(f->message_type(), depth + 1)) return true;
  }
  return false;
}

// Removes the parts of `m` that are not of the cycle; returns whether `m`
// is of the cycle: by its own sources if it has any, else by its parts.
bool Restrict(Message& m, const std::string& cycle) {
  const Reflection* r = m.GetReflection();
  bool has_sources = false;
  bool own = false;
  if (const FieldDescriptor* f = SourcesField(m)) {
    const int n = r->FieldSize(m, f);
    has_sources = n > 0;
    for (int i = 0; i < n && !own; ++i) {
      const auto& p = static_cast<const common::v1::Provenance&>(
          r->GetRepeatedMessage(m, f, i));
      own = p.cycle() == cycle;
    }
  }
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(m, &fields);
  bool inner = false;
  for (const FieldDescriptor* f : fields) {
    if (f->type() != FieldDescriptor::TYPE_MESSAGE) continue;
    if (f->message_type() == common::v1::Provenance::descriptor()) continue;
    if (!FactBearing(f->message_type())) continue;
    if (f->is_repeated()) {
      const int n = r->FieldSize(m, f);
      int kept = 0;
      for (int i = 0; i < n; ++i) {
        if (!Restrict(*r->MutableRepeatedMessage(&m, f, i), cycle)) continue;
        if (kept != i) r->SwapElements(&m, f, kept, i);
        ++kept;
      }
      while (r->FieldSize(m, f) > kept) r->RemoveLast(&m, f);
      inner = inner || kept > 0;
    } else if (Restrict(*r->MutableMessage(&m, f), cycle)) {
      inner = true;
    } else {
      r->ClearField(&m, f);
    }
  }
  return has_sources ? own : inner;
}

}  // namespace

bool RestrictToCycle(Message& record, const std::string& cycle) {
  return Restrict(record, cycle);
}

std::string EntityOfRecordName(const std::string& record_name) {
  std::vector<absl::string_view> parts = absl::StrSplit(record_name, '/');
  if (parts.size() >= 2 &&
      (parts[0] == "countries" || parts[0] == "organizations")) {
    return std::string(parts[0]) + "/" + std::string(parts[1]);
  }
  return "";
}

}  // namespace palermo::reporting
