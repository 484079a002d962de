// The proto of a change log entry.
#include "services/common/change_log.h"

#include <google/protobuf/util/time_util.h>

namespace palermo {

common::v1::Change ToProto(const ChangeEntry& entry) {
  common::v1::Change change;
  change.set_sequence(entry.sequence);
  change.set_resource(entry.resource);
  change.set_revision(entry.revision);
  change.set_type(entry.type);
  *change.mutable_commit_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
          absl::ToUnixMicros(entry.commit_time));
  return change;
}

}  // namespace palermo
