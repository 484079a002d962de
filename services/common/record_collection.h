// The standard methods (AIP-131 to 135) over one collection of a record
// store (record_store.h), free of gRPC and of any database: typed records
// with etags from their revisions, update masks merged on the stored
// record, idempotent writes (idempotent_write.h), pages bound to their
// query, and the change log's sequence of every write.
#ifndef PALERMO_SERVICES_COMMON_RECORD_COLLECTION_H_
#define PALERMO_SERVICES_COMMON_RECORD_COLLECTION_H_

#include <google/protobuf/field_mask.pb.h>
#include <google/protobuf/util/field_mask_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <google/protobuf/util/time_util.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "services/common/bounds.h"
#include "services/common/filter.h"
#include "services/common/idempotency.h"
#include "services/common/idempotent_write.h"
#include "services/common/pagination.h"
#include "services/common/record_store.h"
#include "services/common/status.h"
#include "services/common/validation.h"

namespace palermo {

// What a write's idempotency key keeps as its answer.
enum class KeptResponse {
  kRecord,  // the record as written: a retry gets exactly the first answer
  // The record's name only: a retry reads the record again, so that deleting
  // a record deletes its data from the keys too (victims' case records).
  kNameOnly,
};

// The fields an update writes: `mask` as asked, or, when it is empty, the
// fields `input` sets, or, when it is `*`, every field; never one of
// `output_only` unless the mask names it (Update then refuses it).
google::protobuf::FieldMask WrittenFields(
    const google::protobuf::Message& input,
    const google::protobuf::FieldMask& mask,
    const std::set<std::string>& output_only);

// Standard methods over one collection of `Record`, a message with `name`,
// `etag` and `update_time` fields. Every write reports, through `sequence`
// if not null, the change log's sequence of its change; a replay or a write
// that changed nothing reports the log's latest sequence (at least as
// fresh).
template <typename Record>
class RecordCollection {
 public:
  using Clock = std::function<absl::Time()>;
  // Adds a violation per problem of a complete record; paths start with
  // `prefix` (the request field holding the record).
  using Validator = std::function<void(const Record&, absl::string_view prefix,
                                       FieldViolations&)>;

  RecordCollection(RecordStore& store, std::string collection,
                   Validator validate, Clock clock = absl::Now,
                   KeptResponse kept = KeptResponse::kRecord)
      : store_(store),
        collection_(std::move(collection)),
        validate_(std::move(validate)),
        clock_(std::move(clock)),
        kept_(kept) {}

  // The largest record this collection stores (kMaxRecordBytes unless a
  // collection of documents states more, as published reports do).
  void set_max_record_bytes(size_t bytes) { max_record_bytes_ = bytes; }

  absl::StatusOr<Record> Get(absl::string_view name) {
    auto read = Read(name);
    if (!read.ok()) return read.status();
    return std::move(read->first);
  }

  // A page of records under `prefix` matching `filter`, after the page
  // token's name, ended early once its records reach kMaxPageBytes; `query`
  // binds the token to the request that made it.
  // `violations` holds the caller's own findings on the request, reported
  // with those on filter, page_size and page_token.
  absl::StatusOr<std::vector<Record>> ListPage(
      absl::string_view prefix, const std::string& filter, int page_size,
      const std::string& page_token, const std::string& query,
      std::string* next_page_token, FieldViolations violations = {});

  // Every live record under `prefix` that matches `filter` (all pages).
  absl::StatusOr<std::vector<Record>> All(absl::string_view prefix,
                                          const Filter* filter = nullptr);

  // Creates `record` (its name set), idempotent with `request_id`. The caller
  // has validated the request; `field` is the request field holding the
  // record, named if the record as stored exceeds kMaxRecordBytes.
  absl::StatusOr<Record> Create(Record record, absl::string_view field,
                                const std::string& request_id,
                                const std::string& fingerprint,
                                int64_t* sequence = nullptr);

  // Replaces the fields of `mask` (`*` for all, none for those set), guarded
  // by the input's etag; `field` is the request field holding the record.
  // With a request id, a retry gets the first answer, even after an update
  // that changed nothing.
  absl::StatusOr<Record> Update(const Record& input,
                                const google::protobuf::FieldMask& mask,
                                absl::string_view field,
                                const std::string& request_id = "",
                                const std::string& fingerprint = "",
                                int64_t* sequence = nullptr);

  // Deletes, guarded by `etag` if set; with a request id, a retry after the
  // delete succeeds again rather than finding nothing.
  absl::Status Delete(absl::string_view name, absl::string_view etag,
                      const std::string& request_id = "",
                      const std::string& fingerprint = "",
                      int64_t* sequence = nullptr);

 private:
  static std::string TypeName() { return Record::descriptor()->full_name(); }
  absl::StatusOr<std::pair<Record, int64_t>> Read(absl::string_view name);
  // Stores `record` with its next etag and update time, or refuses it
  // (INVALID_ARGUMENT on `field`) if it then exceeds kMaxRecordBytes; an
  // earlier request under the key answers instead (Answer).
  absl::StatusOr<Record> Write(Record record, absl::string_view field,
                               int64_t expected_revision,
                               const IdempotentWrite& key, int64_t* sequence);
  static absl::StatusOr<Record> Parse(const std::string& name,
                                      const std::string& bytes);
  // What a key keeps as the answer of `record`, and the answer it kept.
  std::string Kept(const Record& record) const;
  absl::StatusOr<Record> Answer(const std::string& kept);
  // Reports the latest sequence (of a replay or a no-op) if asked.
  absl::Status Latest(int64_t* sequence);

  RecordStore& store_;
  const std::string collection_;
  Validator validate_;
  Clock clock_;
  const KeptResponse kept_;
  size_t max_record_bytes_ = kMaxRecordBytes;
};

// ---------------------------------------------------------------------------
// Implementation.

template <typename Record>
absl::StatusOr<std::pair<Record, int64_t>> RecordCollection<Record>::Read(
    absl::string_view name) {
  auto item = store_.Get(collection_, name);
  if (!item.ok()) return item.status();
  if (!item->has_value() || (*item)->deleted()) {
    return NotFoundError(TypeName(), name);
  }
  auto record = Parse((*item)->name, (*item)->record);
  if (!record.ok()) return record.status();
  return std::make_pair(*std::move(record), (*item)->revision);
}

template <typename Record>
absl::StatusOr<Record> RecordCollection<Record>::Parse(
    const std::string& name, const std::string& bytes) {
  Record record;
  if (!record.ParseFromString(bytes)) {
    return absl::DataLossError(absl::StrCat("cannot parse stored ", name));
  }
  return record;
}

template <typename Record>
absl::StatusOr<std::vector<Record>> RecordCollection<Record>::ListPage(
    absl::string_view prefix, const std::string& filter_text, int page_size,
    const std::string& page_token, const std::string& query,
    std::string* next_page_token, FieldViolations v) {
  absl::StatusOr<Filter> filter =
      Filter::Compile(filter_text, Record::descriptor());
  v.AddAll(filter.status(), "filter");
  absl::StatusOr<int> size = EffectivePageSize(page_size);
  v.AddAll(size.status(), "page_size");
  // A token is bound to its collection and query.
  const std::string bound = absl::StrCat(collection_, "\n", query);
  absl::StatusOr<std::string> after = DecodePageToken(page_token, bound);
  v.AddAll(after.status(), "page_token");
  if (!v.empty()) return v.ToStatus();
  std::vector<Record> page;
  next_page_token->clear();
  PageBudget budget(*size);
  // Read in chunks of one page and one more record, so that a page of an
  // unfiltered list reads no further than it needs; a filter that skips
  // records reads on.
  const int chunk = *size + 1;
  std::string read_after = *std::move(after);
  while (true) {
    auto items = store_.List(collection_, prefix, read_after, chunk);
    if (!items.ok()) return items.status();
    for (const StoredRecord& item : *items) {
      auto record = Parse(item.name, item.record);
      if (!record.ok()) return record.status();
      if (!filter->Matches(*record)) continue;
      if (!budget.Admit(*record)) {
        *next_page_token = EncodePageToken(bound, page.back().name());
        return page;
      }
      page.push_back(*std::move(record));
    }
    if (static_cast<int>(items->size()) < chunk) return page;
    read_after = items->back().name;
  }
}

template <typename Record>
absl::StatusOr<std::vector<Record>> RecordCollection<Record>::All(
    absl::string_view prefix, const Filter* filter) {
  auto items = store_.List(collection_, prefix, "");
  if (!items.ok()) return items.status();
  std::vector<Record> out;
  for (const StoredRecord& item : *items) {
    auto record = Parse(item.name, item.record);
    if (!record.ok()) return record.status();
    if (filter == nullptr || filter->Matches(*record)) {
      out.push_back(*std::move(record));
    }
  }
  return out;
}

template <typename Record>
std::string RecordCollection<Record>::Kept(const Record& record) const {
  return kept_ == KeptResponse::kNameOnly ? record.name()
                                          : record.SerializeAsString();
}

template <typename Record>
absl::StatusOr<Record> RecordCollection<Record>::Answer(
    const std::string& kept) {
  if (kept_ == KeptResponse::kNameOnly) return Get(kept);
  return Parse("response", kept);
}

template <typename Record>
absl::Status RecordCollection<Record>::Latest(int64_t* sequence) {
  if (sequence == nullptr) return absl::OkStatus();
  absl::StatusOr<ChangeBounds> bounds = store_.Changes().Bounds();
  if (!bounds.ok()) return bounds.status();
  *sequence = bounds->latest;
  return absl::OkStatus();
}

template <typename Record>
absl::StatusOr<Record> RecordCollection<Record>::Write(
    Record record, absl::string_view field, int64_t expected_revision,
    const IdempotentWrite& key, int64_t* sequence) {
  record.DiscardUnknownFields();
  record.set_etag(EtagFor(expected_revision + 1));
  *record.mutable_update_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
          absl::ToUnixMicros(clock_()));
  FieldViolations too_large;
  ValidateRecordBytes(record.ByteSizeLong(), field, too_large,
                      max_record_bytes_);
  if (!too_large.empty()) return too_large.ToStatus();
  StoredRecord item{record.name(), record.SerializeAsString(),
                    expected_revision + 1};
  absl::StatusOr<WriteResult> put = store_.Put(
      collection_, item, expected_revision, key.request_id(),
      key.Key(kept_ == KeptResponse::kNameOnly ? record.name() : item.record));
  if (!put.ok()) return put.status();
  if (sequence != nullptr) *sequence = put->sequence;
  if (put->earlier.has_value()) {  // the same key, answered first by another
    absl::StatusOr<std::string> kept = key.Answer(*put->earlier);
    if (!kept.ok()) return kept.status();
    return Answer(*kept);
  }
  return record;
}

template <typename Record>
absl::StatusOr<Record> RecordCollection<Record>::Create(
    Record record, absl::string_view field, const std::string& request_id,
    const std::string& fingerprint, int64_t* sequence) {
  const IdempotentWrite key(request_id, fingerprint);
  absl::StatusOr<std::optional<std::string>> replay = key.Replay(store_);
  if (!replay.ok()) return replay.status();
  if (replay->has_value()) {
    if (absl::Status s = Latest(sequence); !s.ok()) return s;
    return Answer(**replay);
  }
  record.clear_etag();
  record.clear_update_time();
  const std::string name = record.name();
  auto existing = store_.Get(collection_, name);
  if (!existing.ok()) return existing.status();
  if (existing->has_value() && !(*existing)->deleted()) {
    // Unless a concurrent retry of this very request created it.
    absl::StatusOr<std::string> settled =
        key.Settle(store_, AlreadyExistsError(TypeName(), name));
    if (!settled.ok()) return settled.status();
    if (absl::Status s = Latest(sequence); !s.ok()) return s;
    return Answer(*settled);
  }
  // Created again after a delete, the revision (and etag) goes on.
  const int64_t revision = existing->has_value() ? (*existing)->revision : 0;
  absl::StatusOr<Record> written =
      Write(std::move(record), field, revision, key, sequence);
  // Created (or deleted) by another writer between our read and our write.
  if (written.status().code() == absl::StatusCode::kAborted) {
    absl::StatusOr<std::string> settled =
        key.Settle(store_, AlreadyExistsError(TypeName(), name));
    if (!settled.ok()) return settled.status();
    if (absl::Status s = Latest(sequence); !s.ok()) return s;
    return Answer(*settled);
  }
  return written;
}

template <typename Record>
absl::StatusOr<Record> RecordCollection<Record>::Update(
    const Record& input, const google::protobuf::FieldMask& request_mask,
    absl::string_view field, const std::string& request_id,
    const std::string& fingerprint, int64_t* sequence) {
  using google::protobuf::util::FieldMaskUtil;
  FieldViolations v;
  const std::set<std::string> output_only = {"name", "etag", "update_time"};
  google::protobuf::FieldMask mask =
      WrittenFields(input, request_mask, output_only);
  for (int i = 0; i < mask.paths_size(); ++i) {
    std::vector<const google::protobuf::FieldDescriptor*> fields;
    if (!FieldMaskUtil::GetFieldDescriptors(Record::descriptor(), mask.paths(i),
                                            &fields) ||
        output_only.count(fields.front()->name())) {
      v.Add(absl::StrCat("update_mask.paths[", i, "]"),
            absl::StrCat("\"", Abbreviate(mask.paths(i)),
                         "\" is not a writable field"));
    }
  }
  if (!v.empty()) return v.ToStatus();
  // A retry is answered before its etag, now stale, is checked.
  const IdempotentWrite key(request_id, fingerprint);
  absl::StatusOr<std::optional<std::string>> replay = key.Replay(store_);
  if (!replay.ok()) return replay.status();
  if (replay->has_value()) {
    if (absl::Status s = Latest(sequence); !s.ok()) return s;
    return Answer(**replay);
  }
  // Without an etag the caller asks for its fields whatever the version, so
  // a concurrent write is merged again rather than refused.
  absl::StatusOr<Record> result =
      RetryOnAborted(!input.etag().empty(), [&]() -> absl::StatusOr<Record> {
        auto current = Read(input.name());
        if (!current.ok()) return current.status();
        if (!input.etag().empty() && input.etag() != current->first.etag()) {
          return EtagMismatchError(input.name(), input.etag(),
                                   current->first.etag());
        }
        Record merged = current->first;
        FieldMaskUtil::MergeOptions options;
        options.set_replace_message_fields(true);
        options.set_replace_repeated_fields(true);
        FieldMaskUtil::MergeMessageTo(input, mask, options, &merged);
        FieldViolations invalid;
        validate_(merged, field, invalid);
        if (!invalid.empty()) return invalid.ToStatus();
        // A change that changes nothing keeps the version (and etag), and
        // takes the key all the same.
        if (google::protobuf::util::MessageDifferencer::Equals(
                merged, current->first)) {
          absl::StatusOr<std::string> kept =
              key.RecordNoOp(store_, Kept(merged));
          if (!kept.ok()) return kept.status();
          if (absl::Status s = Latest(sequence); !s.ok()) return s;
          return Answer(*kept);
        }
        return Write(std::move(merged), field, current->second, key, sequence);
      });
  if (result.ok()) return result;
  // A concurrent call with the same key may have committed between the
  // replay and this attempt (its change making our etag stale): the first
  // answer, as for any retry.
  absl::StatusOr<std::string> settled = key.Settle(store_, result.status());
  if (settled.ok()) {
    if (absl::Status s = Latest(sequence); !s.ok()) return s;
    return Answer(*settled);
  }
  if (result.status().code() == absl::StatusCode::kAborted) {
    auto now = Read(input.name());
    return EtagMismatchError(input.name(), input.etag(),
                             now.ok() ? now->first.etag() : "(deleted)");
  }
  return result;
}

template <typename Record>
absl::Status RecordCollection<Record>::Delete(absl::string_view name,
                                              absl::string_view etag,
                                              const std::string& request_id,
                                              const std::string& fingerprint,
                                              int64_t* sequence) {
  const IdempotentWrite key(request_id, fingerprint);
  absl::StatusOr<std::optional<std::string>> replay = key.Replay(store_);
  if (!replay.ok()) return replay.status();
  if (replay->has_value()) return Latest(sequence);
  absl::Status result = RetryOnAborted(!etag.empty(), [&] {
    auto item = store_.Get(collection_, name);
    if (!item.ok()) return item.status();
    if (!item->has_value() || (*item)->deleted()) {
      return NotFoundError(TypeName(), name);
    }
    const std::string current = EtagFor((*item)->revision);
    if (!etag.empty() && etag != current) {
      return EtagMismatchError(name, etag, current);
    }
    absl::StatusOr<WriteResult> deleted =
        store_.Delete(collection_, name, (*item)->revision, key.request_id(),
                      key.Key(std::string(name)));
    if (deleted.status().code() == absl::StatusCode::kNotFound) {
      return NotFoundError(TypeName(), name);  // deleted meanwhile
    }
    if (deleted.status().code() == absl::StatusCode::kAborted) {
      return EtagMismatchError(name, etag, "(changed meanwhile)");
    }
    if (!deleted.ok()) return deleted.status();
    if (sequence != nullptr) *sequence = deleted->sequence;
    // The same key, answered meanwhile by another call.
    if (deleted->earlier.has_value()) {
      return key.Answer(*deleted->earlier).status();
    }
    return absl::OkStatus();
  });
  if (result.ok()) return result;
  // The same key committed meanwhile by a concurrent call (which is why the
  // record is gone or its etag stale): the first answer, OK.
  if (key.Settle(store_, result).ok()) return Latest(sequence);
  return result;
}

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_RECORD_COLLECTION_H_
