// The non-template part of the standard methods (record_collection.h).
#include "services/common/record_collection.h"

namespace palermo {

google::protobuf::FieldMask WrittenFields(
    const google::protobuf::Message& input,
    const google::protobuf::FieldMask& mask,
    const std::set<std::string>& output_only) {
  if (!mask.paths().empty() &&
      !(mask.paths_size() == 1 && mask.paths(0) == "*")) {
    return mask;
  }
  const bool all = !mask.paths().empty();
  google::protobuf::FieldMask written;
  const auto* d = input.GetDescriptor();
  const auto* r = input.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const auto* f = d->field(i);
    if (output_only.count(f->name())) continue;
    const bool set =
        f->is_repeated() ? r->FieldSize(input, f) > 0 : r->HasField(input, f);
    if (all || set) written.add_paths(f->name());
  }
  return written;
}

}  // namespace palermo
