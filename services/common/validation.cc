#include "services/common/validation.h"

#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"

namespace palermo {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

void CheckEnum(const FieldDescriptor* field, int number,
               const std::string& path, FieldViolations& violations) {
  if (field->enum_type()->FindValueByNumber(number) == nullptr) {
    violations.Add(path, absl::StrCat(number, " is not a value of ",
                                      field->enum_type()->full_name()));
  } else if (number == 0 && field->is_repeated()) {
    // A list element that says nothing is a mistake, not a fact.
    violations.Add(path, "an UNSPECIFIED value cannot be a list element");
  }
}

// False if a repeated field anywhere was over its limit.
bool Walk(const Message& message, const std::string& prefix,
          FieldViolations& violations) {
  const auto* descriptor = message.GetDescriptor();
  if (descriptor == common::v1::PartialDate::descriptor()) {
    ValidatePartialDate(static_cast<const common::v1::PartialDate&>(message),
                        prefix, violations);
    return true;
  }
  if (descriptor == common::v1::Provenance::descriptor()) {
    ValidateProvenance(static_cast<const common::v1::Provenance&>(message),
                       prefix, violations);
    // Falls through: its strings are length-checked like any other.
  }
  const Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  bool bounded = true;
  for (const FieldDescriptor* field : fields) {
    const std::string path = FieldPath(prefix, field->name());
    if (field->is_repeated()) {
      const int n = reflection->FieldSize(message, field);
      if (!CheckElementCount(n, path, violations)) {
        bounded = false;
        continue;
      }
      for (int i = 0; i < n; ++i) {
        const std::string item = ElementPath(path, i);
        if (field->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
          CheckEnum(field, reflection->GetRepeatedEnumValue(message, field, i),
                    item, violations);
        } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
          CheckStringBytes(reflection->GetRepeatedString(message, field, i),
                           item, violations);
        } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
                   !field->is_map()) {
          bounded &= Walk(reflection->GetRepeatedMessage(message, field, i),
                          item, violations);
        }
      }
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
      CheckEnum(field, reflection->GetEnumValue(message, field), path,
                violations);
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      bounded &= Walk(reflection->GetMessage(message, field), path, violations);
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
      CheckStringBytes(reflection->GetString(message, field), path, violations);
    }
  }
  return bounded;
}

}  // namespace

bool CheckElementCount(int count, absl::string_view path,
                       FieldViolations& violations) {
  if (count <= kMaxRepeatedElements) return true;
  violations.Add(std::string(path), absl::StrCat(count, " elements, at most ",
                                                 kMaxRepeatedElements));
  return false;
}

void CheckStringBytes(absl::string_view value, absl::string_view path,
                      FieldViolations& violations) {
  if (value.size() > kMaxStringBytes) {
    violations.Add(
        std::string(path),
        absl::StrCat(value.size(), " bytes, at most ", kMaxStringBytes));
  }
  // Valid UTF-8, but PostgreSQL's text keeps no NUL: refused on every store
  // alike rather than cut short on one.
  if (value.find('\0') != absl::string_view::npos) {
    violations.Add(std::string(path), "contains U+0000 (NUL)");
  }
}

void ValidateRecordSize(const Message& record, absl::string_view path,
                        FieldViolations& violations) {
  ValidateRecordBytes(record.ByteSizeLong(), path, violations);
}

void ValidateRecordBytes(size_t bytes, absl::string_view path,
                         FieldViolations& violations, size_t limit) {
  if (bytes > limit) {
    violations.Add(
        std::string(path),
        absl::StrCat("the record takes ", bytes, " bytes serialized, at most ",
                     limit));
  }
}

std::string ElementPath(absl::string_view path, int index) {
  return absl::StrCat(path, "[", index, "]");
}

std::string FieldPath(absl::string_view prefix, absl::string_view field) {
  return prefix.empty() ? std::string(field) : absl::StrCat(prefix, ".", field);
}

bool ValidateCommonTypes(const Message& message, absl::string_view prefix,
                         FieldViolations& violations) {
  return Walk(message, std::string(prefix), violations);
}

void ValidatePartialDate(const common::v1::PartialDate& date,
                         absl::string_view path, FieldViolations& violations) {
  using common::v1::DatePrecision;
  if (date.year() < kMinYear || date.year() > kMaxYear) {
    violations.Add(
        FieldPath(path, "year"),
        absl::StrCat(date.year(), " is outside ", kMinYear, "-", kMaxYear));
  }
  switch (date.precision()) {
    case common::v1::DATE_PRECISION_YEAR:
      if (date.month() != 0 || date.day() != 0) {
        violations.Add(FieldPath(path, "precision"),
                       "YEAR precision requires month and day to be 0");
      }
      return;
    case common::v1::DATE_PRECISION_MONTH:
      if (date.month() < 1 || date.month() > 12) {
        violations.Add(FieldPath(path, "month"),
                       absl::StrCat(date.month(), " is not a month (1-12)"));
      }
      if (date.day() != 0) {
        violations.Add(FieldPath(path, "precision"),
                       "MONTH precision requires day to be 0");
      }
      return;
    case common::v1::DATE_PRECISION_DAY: {
      if (date.month() < 1 || date.month() > 12) {
        violations.Add(FieldPath(path, "month"),
                       absl::StrCat(date.month(), " is not a month (1-12)"));
        return;
      }
      // CivilDay normalises 31 April to 1 May: a changed day means the date
      // does not exist.
      absl::CivilDay day(date.year(), date.month(), date.day());
      if (date.day() < 1 || day.day() != date.day() ||
          day.month() != date.month() || day.year() != date.year()) {
        violations.Add(FieldPath(path, "day"),
                       absl::StrCat(date.year(), "-", date.month(), "-",
                                    date.day(), " is not a calendar date"));
      }
      return;
    }
    default:
      if (DatePrecision_IsValid(date.precision())) {
        violations.Add(FieldPath(path, "precision"),
                       "required: YEAR, MONTH or DAY");
      } else {
        violations.Add(FieldPath(path, "precision"),
                       absl::StrCat(date.precision(),
                                    " is not a value of "
                                    "palermo.common.v1.DatePrecision"));
      }
  }
}

void ValidateProvenance(const common::v1::Provenance& provenance,
                        absl::string_view path, FieldViolations& violations) {
  if (provenance.document_symbol().empty()) {
    violations.Add(FieldPath(path, "document_symbol"),
                   "required, e.g. E/CN.15/2008/6");
  }
  if (provenance.paragraph() < 0) {
    violations.Add(FieldPath(path, "paragraph"), "must not be negative");
  }
  if (provenance.footnote() < 0) {
    violations.Add(FieldPath(path, "footnote"), "must not be negative");
  }
  if (provenance.paragraph() == 0 && provenance.footnote() == 0) {
    violations.Add(FieldPath(path, "paragraph"),
                   "a paragraph or a footnote is required");
  }
  const std::string& cycle = provenance.cycle();
  const bool cycle_ok = cycle.empty() || ValidCycleName(cycle);
  if (!cycle_ok) {
    violations.Add(FieldPath(path, "cycle"),
                   absl::StrCat("\"", cycle.substr(0, 64),
                                "\" is not a cycle name, e.g. "
                                "cycles/ccpcj-17"));
  }
  const std::string& response = provenance.response();
  if (!response.empty()) {
    if (cycle.empty()) {
      violations.Add(FieldPath(path, "response"),
                     "a response needs the cycle it belongs to");
    } else if (cycle_ok) {
      const std::string prefix = absl::StrCat(cycle, "/responses/");
      if (!absl::StartsWith(response, prefix) ||
          !ValidResponseId(absl::string_view(response).substr(prefix.size()))) {
        violations.Add(FieldPath(path, "response"),
                       absl::StrCat("\"", response.substr(0, 96),
                                    "\" is not a response of ", cycle,
                                    ", e.g. ", prefix, "EST"));
      }
    }
  }
}

bool ValidCycleName(absl::string_view name) {
  return absl::ConsumePrefix(&name, "cycles/") && ValidResourceId(name);
}

bool ValidResponseId(absl::string_view id) {
  if (id.empty() || id.size() > 63 || !absl::ascii_isupper(id[0])) return false;
  for (char c : id) {
    if (!absl::ascii_isupper(c) && !absl::ascii_isdigit(c) && c != '-') {
      return false;
    }
  }
  return true;
}

bool PartialDateBefore(const common::v1::PartialDate& a,
                       const common::v1::PartialDate& b) {
  auto key = [](const common::v1::PartialDate& d) {
    return std::make_tuple(d.year(), d.month(), d.day());
  };
  return key(a) < key(b);
}

bool ValidResourceId(absl::string_view id) {
  if (id.empty() || id.size() > 63 || !absl::ascii_islower(id[0])) return false;
  for (char c : id) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '-') {
      return false;
    }
  }
  return true;
}

}  // namespace palermo
