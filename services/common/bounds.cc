#include "services/common/bounds.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>

#include <vector>

namespace palermo {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;
using google::protobuf::internal::WireFormatLite;
using google::protobuf::io::CodedOutputStream;

size_t LengthDelimited(int field_number, size_t payload) {
  const uint32_t tag = WireFormatLite::MakeTag(
      field_number, WireFormatLite::WIRETYPE_LENGTH_DELIMITED);
  return CodedOutputStream::VarintSize32(tag) +
         CodedOutputStream::VarintSize64(payload) + payload;
}

// Repeated fields whose elements TrimToBytes may drop.
bool Droppable(const FieldDescriptor* field) {
  if (!field->is_repeated() || field->is_map()) return false;
  return field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE ||
         field->cpp_type() == FieldDescriptor::CPPTYPE_STRING;
}

size_t CostOf(const Message& m, const FieldDescriptor* field, int i) {
  const Reflection* r = m.GetReflection();
  if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
    return LengthDelimited(
        field->number(),
        r->GetRepeatedStringReference(m, field, i, nullptr).size());
  }
  return LengthDelimited(field->number(),
                         r->GetRepeatedMessage(m, field, i).ByteSizeLong());
}

bool IsResource(const Message& m) {
  return m.GetDescriptor()->FindFieldByName("name") != nullptr;
}

// Whether any droppable field of `m` has an element.
bool HasElements(const Message& m) {
  std::vector<const FieldDescriptor*> fields;
  m.GetReflection()->ListFields(m, &fields);
  for (const FieldDescriptor* f : fields) {
    if (Droppable(f)) return true;
  }
  return false;
}

}  // namespace

size_t ElementBytes(const Message& message) {
  // Field number 1 to 15 take one tag byte; any higher costs at most two
  // more, well within the margin of every limit.
  return LengthDelimited(1, message.ByteSizeLong());
}

bool PageBudget::Admit(const Message& record) {
  if (full_) return false;
  const size_t cost = ElementBytes(record);
  if (items_ >= max_items_ || (items_ > 0 && bytes_ + cost > max_bytes_)) {
    full_ = true;
    return false;
  }
  ++items_;
  bytes_ += cost;
  return true;
}

bool TrimToBytes(Message* answer, size_t max_bytes) {
  if (answer->ByteSizeLong() <= max_bytes) return false;
  const Reflection* r = answer->GetReflection();
  // Set first, so that its bytes are counted.
  const FieldDescriptor* truncated =
      answer->GetDescriptor()->FindFieldByName("truncated");
  if (truncated != nullptr && truncated->type() == FieldDescriptor::TYPE_BOOL &&
      !truncated->is_repeated()) {
    r->SetBool(answer, truncated, true);
  }
  const size_t total = answer->ByteSizeLong();
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(*answer, &fields);
  std::vector<const FieldDescriptor*> droppable;
  size_t listed = 0;
  for (const FieldDescriptor* f : fields) {
    if (!Droppable(f)) continue;
    droppable.push_back(f);
    for (int i = 0; i < r->FieldSize(*answer, f); ++i) {
      listed += CostOf(*answer, f, i);
    }
  }
  const size_t fixed = total - listed;
  size_t budget = fixed < max_bytes ? max_bytes - fixed : 0;
  bool full = false;
  for (const FieldDescriptor* f : droppable) {
    const int n = r->FieldSize(*answer, f);
    int keep = 0;
    for (; keep < n && !full; ++keep) {
      size_t cost = CostOf(*answer, f, keep);
      if (cost <= budget) {
        budget -= cost;
        continue;
      }
      full = true;
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        Message* element = r->MutableRepeatedMessage(answer, f, keep);
        // Room for the element's own tag and length prefix (at most 7
        // bytes together for any size below 2^28).
        constexpr size_t kPrefix = 7;
        if (!IsResource(*element) && budget > kPrefix) {
          TrimToBytes(element, budget - kPrefix);
          cost = CostOf(*answer, f, keep);
          // Kept if something of its lists is left.
          if (HasElements(*element) && cost <= budget) {
            budget -= cost;
            ++keep;
          }
        }
      }
      break;
    }
    for (int i = n; i > keep; --i) r->RemoveLast(answer, f);
  }
  return true;
}

}  // namespace palermo
