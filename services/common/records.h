// Keyed collections of serialised protobuf records, the storage shape of
// services whose resources are documents: each record has a revision for
// compare-and-swap (etags), a deleted record leaves a tombstone so that its
// revision goes on, and a write may carry an idempotency key recorded in the
// same transaction. RecordStore is the contract; SqliteRecordStore the
// embedded implementation; RecordCollection<T> the standard methods (AIP-131
// to 135) over one collection, free of gRPC.
#ifndef PALERMO_SERVICES_COMMON_RECORDS_H_
#define PALERMO_SERVICES_COMMON_RECORDS_H_

#include <google/protobuf/field_mask.pb.h>
#include <google/protobuf/util/field_mask_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <google/protobuf/util/time_util.h>

#include <cstdint>
#include <functional>
#include <memory>
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
#include "services/common/pagination.h"
#include "services/common/sqlite.h"
#include "services/common/status.h"
#include "services/common/validation.h"

namespace palermo {

struct StoredRecord {
  std::string name;
  std::string record;  // serialised message; empty once deleted
  int64_t revision = 0;
  bool deleted() const { return record.empty(); }
};

class RecordStore {
 public:
  virtual ~RecordStore() = default;

  // The record, or its tombstone (deleted(), revision kept) once deleted.
  virtual absl::StatusOr<std::optional<StoredRecord>> Get(
      absl::string_view collection, absl::string_view name) = 0;
  // Live records whose name is after `after_name` and starts with `prefix`,
  // in name order.
  virtual absl::StatusOr<std::vector<StoredRecord>> List(
      absl::string_view collection, absl::string_view prefix,
      absl::string_view after_name) = 0;
  // Writes `record` if the stored revision is still `expected_revision` (0:
  // absent), else ABORTED; records the request id in the same transaction.
  // If the id was taken before, writes nothing and returns it in `earlier`.
  virtual absl::Status Put(absl::string_view collection,
                           const StoredRecord& record,
                           int64_t expected_revision,
                           const std::string& request_id,
                           const StoredRequest& request,
                           std::optional<StoredRequest>* earlier) = 0;
  // Deletes if the stored revision is still `expected_revision`, else
  // ABORTED: erases the record, leaving a tombstone with the next revision.
  // A request id is recorded as for Put.
  virtual absl::Status Delete(absl::string_view collection,
                              absl::string_view name, int64_t expected_revision,
                              const std::string& request_id,
                              const StoredRequest& request,
                              std::optional<StoredRequest>* earlier) = 0;
  // The write recorded under `request_id`, if any.
  virtual absl::StatusOr<std::optional<StoredRequest>> FindRequest(
      const std::string& request_id) = 0;
};

// One table per collection in a SQLite database (WAL, synchronous=FULL).
class SqliteRecordStore : public RecordStore {
 public:
  // `collections` are table names: lower-case letters and '_' only.
  static absl::StatusOr<std::unique_ptr<SqliteRecordStore>> Open(
      const std::string& path, const std::vector<std::string>& collections);
  // The DDL of one collection's table, for a service that owns its
  // database and migrations.
  static std::string TableSql(const std::string& collection);
  // Over a database whose migrations created the collections' tables
  // (TableSql) and the requests table; `db` must outlive the store.
  static absl::StatusOr<std::unique_ptr<SqliteRecordStore>> Over(
      sqlite::Database& db, const std::vector<std::string>& collections);

  absl::StatusOr<std::optional<StoredRecord>> Get(
      absl::string_view collection, absl::string_view name) override;
  absl::StatusOr<std::vector<StoredRecord>> List(
      absl::string_view collection, absl::string_view prefix,
      absl::string_view after_name) override;
  absl::Status Put(absl::string_view collection, const StoredRecord& record,
                   int64_t expected_revision, const std::string& request_id,
                   const StoredRequest& request,
                   std::optional<StoredRequest>* earlier) override;
  absl::Status Delete(absl::string_view collection, absl::string_view name,
                      int64_t expected_revision, const std::string& request_id,
                      const StoredRequest& request,
                      std::optional<StoredRequest>* earlier) override;
  absl::StatusOr<std::optional<StoredRequest>> FindRequest(
      const std::string& request_id) override;

 private:
  SqliteRecordStore(std::unique_ptr<sqlite::Database> owned,
                    sqlite::Database* db, std::set<std::string> collections)
      : owned_(std::move(owned)),
        db_(db),
        collections_(std::move(collections)) {}
  absl::Status CheckCollection(absl::string_view collection) const;
  // One compare-and-swap write with its idempotency key, in a transaction:
  // `apply` runs once the key is new and the revision still the expected.
  absl::Status Commit(absl::string_view collection, absl::string_view name,
                      int64_t expected_revision, const std::string& request_id,
                      const StoredRequest& request,
                      std::optional<StoredRequest>* earlier,
                      const std::function<absl::Status()>& apply);
  absl::StatusOr<int64_t> RevisionLocked(absl::string_view collection,
                                         absl::string_view name);

  std::unique_ptr<sqlite::Database> owned_;  // null when Over() another's
  sqlite::Database* db_;
  const std::set<std::string> collections_;
};

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
// `etag` and `update_time` fields.
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
                                const std::string& fingerprint);

  // Replaces the fields of `mask` (`*` for all, none for those set), guarded
  // by the input's etag; `field` is the request field holding the record.
  // With a request id, a retry gets the first answer.
  absl::StatusOr<Record> Update(const Record& input,
                                const google::protobuf::FieldMask& mask,
                                absl::string_view field,
                                const std::string& request_id = "",
                                const std::string& fingerprint = "");

  // Deletes, guarded by `etag` if set; with a request id, a retry after the
  // delete succeeds again rather than finding nothing.
  absl::Status Delete(absl::string_view name, absl::string_view etag,
                      const std::string& request_id = "",
                      const std::string& fingerprint = "");

 private:
  static constexpr int kMaxMergeAttempts = 8;
  static std::string TypeName() { return Record::descriptor()->full_name(); }
  absl::StatusOr<std::pair<Record, int64_t>> Read(absl::string_view name);
  // Stores `record` with its next etag and update time, or refuses it
  // (INVALID_ARGUMENT on `field`) if it then exceeds kMaxRecordBytes.
  absl::StatusOr<Record> Write(Record record, absl::string_view field,
                               int64_t expected_revision,
                               const std::string& request_id,
                               const std::string& fingerprint);
  static absl::StatusOr<Record> Parse(const std::string& name,
                                      const std::string& bytes);
  // The request already made under `request_id`, if any: INVALID_ARGUMENT
  // if the id was used for another request.
  absl::StatusOr<std::optional<StoredRequest>> Earlier(
      const std::string& request_id, const std::string& fingerprint);
  static absl::Status SameRequest(const StoredRequest& earlier,
                                  const std::string& fingerprint);
  // The answer an earlier request got.
  absl::StatusOr<Record> Answer(const StoredRequest& earlier);

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
  auto items = store_.List(collection_, prefix, *after);
  if (!items.ok()) return items.status();
  std::vector<Record> page;
  next_page_token->clear();
  PageBudget budget(*size);
  for (const StoredRecord& item : *items) {
    auto record = Parse(item.name, item.record);
    if (!record.ok()) return record.status();
    if (!filter->Matches(*record)) continue;
    if (!budget.Admit(*record)) {
      *next_page_token = EncodePageToken(bound, page.back().name());
      break;
    }
    page.push_back(*std::move(record));
  }
  return page;
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
absl::StatusOr<Record> RecordCollection<Record>::Write(
    Record record, absl::string_view field, int64_t expected_revision,
    const std::string& request_id, const std::string& fingerprint) {
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
  const bool name_only = kept_ == KeptResponse::kNameOnly;
  std::optional<StoredRequest> earlier;
  absl::Status put = store_.Put(
      collection_, item, expected_revision, request_id,
      {fingerprint, name_only ? record.name() : item.record}, &earlier);
  if (!put.ok()) return put;
  if (earlier.has_value()) {  // the same key, answered first by another call
    if (absl::Status s = SameRequest(*earlier, fingerprint); !s.ok()) return s;
    return Answer(*earlier);
  }
  return record;
}

template <typename Record>
absl::Status RecordCollection<Record>::SameRequest(
    const StoredRequest& earlier, const std::string& fingerprint) {
  return earlier.fingerprint == fingerprint ? absl::OkStatus()
                                            : RequestIdReusedError();
}

template <typename Record>
absl::StatusOr<std::optional<StoredRequest>> RecordCollection<Record>::Earlier(
    const std::string& request_id, const std::string& fingerprint) {
  if (request_id.empty()) return std::nullopt;
  auto earlier = store_.FindRequest(request_id);
  if (!earlier.ok() || !earlier->has_value()) return earlier;
  if (absl::Status s = SameRequest(**earlier, fingerprint); !s.ok()) return s;
  return earlier;
}

template <typename Record>
absl::StatusOr<Record> RecordCollection<Record>::Answer(
    const StoredRequest& earlier) {
  if (kept_ == KeptResponse::kNameOnly) return Get(earlier.response);
  return Parse("response", earlier.response);
}

template <typename Record>
absl::StatusOr<Record> RecordCollection<Record>::Create(
    Record record, absl::string_view field, const std::string& request_id,
    const std::string& fingerprint) {
  record.clear_etag();
  record.clear_update_time();
  const std::string name = record.name();
  auto existing = store_.Get(collection_, name);
  if (!existing.ok()) return existing.status();
  const bool live = existing->has_value() && !(*existing)->deleted();
  if (live && request_id.empty()) return AlreadyExistsError(TypeName(), name);
  // Created again after a delete, the revision (and etag) goes on.
  // A live record with a request id goes to the store with revision 0, so
  // that it fails (ALREADY_EXISTS) unless the id answers first.
  const int64_t revision = existing->has_value() && (*existing)->deleted()
                               ? (*existing)->revision
                               : 0;
  absl::StatusOr<Record> written =
      Write(std::move(record), field, revision, request_id, fingerprint);
  if (written.status().code() == absl::StatusCode::kAborted) {
    return AlreadyExistsError(TypeName(), name);
  }
  return written;
}

template <typename Record>
absl::StatusOr<Record> RecordCollection<Record>::Update(
    const Record& input, const google::protobuf::FieldMask& request_mask,
    absl::string_view field, const std::string& request_id,
    const std::string& fingerprint) {
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
  auto earlier = Earlier(request_id, fingerprint);
  if (!earlier.ok()) return earlier.status();
  if (earlier->has_value()) return Answer(**earlier);
  // Without an etag the caller asks for its fields whatever the version, so
  // a concurrent write is merged again rather than refused.
  for (int attempt = 0;; ++attempt) {
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
    validate_(merged, field, v);
    if (!v.empty()) return v.ToStatus();
    // A change that changes nothing keeps the version (and etag).
    if (google::protobuf::util::MessageDifferencer::Equals(merged,
                                                           current->first)) {
      return merged;
    }
    absl::StatusOr<Record> written = Write(
        std::move(merged), field, current->second, request_id, fingerprint);
    if (written.status().code() != absl::StatusCode::kAborted) return written;
    if (!input.etag().empty() || attempt == kMaxMergeAttempts) {
      auto now = Read(input.name());
      return EtagMismatchError(input.name(), input.etag(),
                               now.ok() ? now->first.etag() : "(deleted)");
    }
  }
}

template <typename Record>
absl::Status RecordCollection<Record>::Delete(absl::string_view name,
                                              absl::string_view etag,
                                              const std::string& request_id,
                                              const std::string& fingerprint) {
  auto answered = Earlier(request_id, fingerprint);
  if (!answered.ok()) return answered.status();
  if (answered->has_value()) return absl::OkStatus();
  for (int attempt = 0;; ++attempt) {
    auto item = store_.Get(collection_, name);
    if (!item.ok()) return item.status();
    if (!item->has_value() || (*item)->deleted()) {
      return NotFoundError(TypeName(), name);
    }
    const std::string current = EtagFor((*item)->revision);
    if (!etag.empty() && etag != current) {
      return EtagMismatchError(name, etag, current);
    }
    std::optional<StoredRequest> earlier;
    absl::Status deleted =
        store_.Delete(collection_, name, (*item)->revision, request_id,
                      {fingerprint, std::string(name)}, &earlier);
    // The same key, answered meanwhile by another call.
    if (earlier.has_value()) return SameRequest(*earlier, fingerprint);
    if (deleted.code() != absl::StatusCode::kAborted) return deleted;
    // Changed meanwhile: without an etag, delete whatever version is there.
    if (!etag.empty() || attempt == kMaxMergeAttempts) {
      return EtagMismatchError(name, etag, "(changed meanwhile)");
    }
  }
}

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_RECORDS_H_
