#include "services/enforcement/sdmx_csv.h"

#include <csv.h>
#include <google/protobuf/util/json_util.h>

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "services/common/periods.h"
#include "services/common/status.h"

namespace palermo::enforcement {
namespace {

const std::vector<std::string>& Columns() {
  static const auto* columns = new std::vector<std::string>{
      "STRUCTURE",   "STRUCTURE_ID", "ACTION",    "REF_AREA",
      "INDICATOR",   "SEX",          "AGE",       "EXPLOITATION_FORM",
      "CITIZENSHIP", "TIME_PERIOD",  "OBS_VALUE", "OBS_STATUS",
      "COMMENT",     "SOURCE"};
  return *columns;
}

constexpr char kTotal[] = "_T";

// Two-way code tables between the API's enums and SDMX codes.
template <typename Enum>
struct Codes {
  std::map<Enum, std::string> to_code;
  std::map<std::string, Enum> from_code;
  Codes(std::initializer_list<std::pair<Enum, std::string>> pairs) {
    for (const auto& [value, code] : pairs) {
      to_code[value] = code;
      from_code[code] = value;
    }
  }
};

const Codes<v1::Sex>& SexCodes() {
  static const auto* codes =
      new Codes<v1::Sex>{{v1::SEX_UNSPECIFIED, kTotal},
                         {v1::SEX_MALE, "M"},
                         {v1::SEX_FEMALE, "F"},
                         {v1::SEX_TRANSGENDER_OR_NON_CONFORMING, "_O"},
                         {v1::SEX_UNKNOWN, "_U"}};
  return *codes;
}

const Codes<v1::AgeGroup>& AgeCodes() {
  static const auto* codes =
      new Codes<v1::AgeGroup>{{v1::AGE_GROUP_UNSPECIFIED, kTotal},
                              {v1::AGE_GROUP_ADULT, "Y_GE18"},
                              {v1::AGE_GROUP_CHILD, "Y_LT18"},
                              {v1::AGE_GROUP_UNKNOWN, "_U"}};
  return *codes;
}

// CL_OBS_STATUS letters.
const Codes<v1::ObservationStatus>& StatusCodes() {
  static const auto* codes = new Codes<v1::ObservationStatus>{
      {v1::OBSERVATION_STATUS_NORMAL, "A"},
      {v1::OBSERVATION_STATUS_BREAK, "B"},
      {v1::OBSERVATION_STATUS_DEFINITION_DIFFERS, "D"},
      {v1::OBSERVATION_STATUS_ESTIMATED, "E"},
      {v1::OBSERVATION_STATUS_FORECAST, "F"},
      {v1::OBSERVATION_STATUS_EXPERIMENTAL, "G"},
      {v1::OBSERVATION_STATUS_IMPUTED, "I"},
      {v1::OBSERVATION_STATUS_DEROGATION, "K"},
      {v1::OBSERVATION_STATUS_NOT_COLLECTED, "L"},
      {v1::OBSERVATION_STATUS_CANNOT_EXIST, "M"},
      {v1::OBSERVATION_STATUS_NOT_SIGNIFICANT, "N"},
      {v1::OBSERVATION_STATUS_MISSING, "O"},
      {v1::OBSERVATION_STATUS_PROVISIONAL, "P"},
      {v1::OBSERVATION_STATUS_SUPPRESSED, "Q"},
      {v1::OBSERVATION_STATUS_STRIKE, "S"},
      {v1::OBSERVATION_STATUS_LOW_RELIABILITY, "U"},
      {v1::OBSERVATION_STATUS_UNVALIDATED, "V"}};
  return *codes;
}

constexpr char kFormPrefix[] = "EXPLOITATION_FORM_";

// A field, quoted by libcsv only where CSV needs it.
void AppendField(std::string& line, absl::string_view field) {
  if (!line.empty() && line.back() != '\n') line.push_back(',');
  // libcsv trims unquoted fields: quote leading or trailing blanks too.
  const bool edge_blank =
      !field.empty() &&
      (absl::ascii_isspace(static_cast<unsigned char>(field.front())) ||
       absl::ascii_isspace(static_cast<unsigned char>(field.back())));
  if (!edge_blank &&
      field.find_first_of(",\"\r\n") == absl::string_view::npos) {
    line.append(field.data(), field.size());
    return;
  }
  std::string quoted(field.size() * 2 + 2, '\0');
  quoted.resize(
      csv_write(quoted.data(), quoted.size(), field.data(), field.size()));
  line += quoted;
}

struct ParseState {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> current;
};

void OnField(void* data, size_t size, void* state) {
  static_cast<ParseState*>(state)->current.emplace_back(
      static_cast<const char*>(data), size);
}

void OnRow(int, void* state) {
  auto* s = static_cast<ParseState*>(state);
  s->rows.push_back(std::move(s->current));
  s->current.clear();
}

// The lines of `text` after its header, as fields; INVALID_ARGUMENT (its
// message the `csv` violation's description) if it is not CSV or its header
// is not Columns().
absl::StatusOr<std::vector<std::vector<std::string>>> ReadLines(
    absl::string_view text) {
  csv_parser parser;
  csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
  ParseState state;
  const size_t parsed =
      csv_parse(&parser, text.data(), text.size(), OnField, OnRow, &state);
  if (parsed != text.size() || csv_fini(&parser, OnField, OnRow, &state) != 0) {
    absl::Status error = absl::InvalidArgumentError(
        absl::StrCat("not valid CSV: ", csv_strerror(csv_error(&parser))));
    csv_free(&parser);
    return error;
  }
  csv_free(&parser);
  if (state.rows.empty() || state.rows[0] != Columns()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the header must be ", absl::StrJoin(Columns(), ",")));
  }
  state.rows.erase(state.rows.begin());
  return std::move(state.rows);
}

}  // namespace

std::string SdmxCsvHeader() {
  std::string line;
  for (const std::string& c : Columns()) AppendField(line, c);
  line.push_back('\n');
  return line;
}

std::string SdmxCsvLine(const v1::Observation& o) {
  std::string line;
  AppendField(line, "dataflow");
  AppendField(line, kSdmxStructureId);
  AppendField(line, "I");
  absl::string_view area = o.entity();
  if (!absl::ConsumePrefix(&area, "countries/")) {
    absl::ConsumePrefix(&area, "organizations/");
  }
  AppendField(line, area);
  AppendField(line, o.indicator());
  AppendField(line, SexCodes().to_code.at(o.sex()));
  AppendField(line, AgeCodes().to_code.at(o.age_group()));
  if (o.exploitation_form() == common::v1::EXPLOITATION_FORM_UNSPECIFIED) {
    AppendField(line, kTotal);
  } else {
    absl::string_view form =
        common::v1::ExploitationForm_Name(o.exploitation_form());
    absl::ConsumePrefix(&form, kFormPrefix);
    AppendField(line, form);
  }
  AppendField(line, o.citizenship().empty() ? kTotal : o.citizenship());
  AppendField(line, FormatTimePeriod(o.period()));
  AppendField(line, o.has_value() ? absl::StrCat(o.value()) : "");
  auto status = StatusCodes().to_code.find(o.status());
  AppendField(line,
              status == StatusCodes().to_code.end() ? "" : status->second);
  AppendField(line, o.notes());
  std::string sources;
  if (!o.sources().empty()) {
    v1::Observation only_sources;
    *only_sources.mutable_sources() = o.sources();
    (void)google::protobuf::util::MessageToJsonString(only_sources, &sources);
  }
  AppendField(line, sources);
  line.push_back('\n');
  return line;
}

std::vector<CsvRow> ParseSdmxCsv(
    absl::string_view text,
    const std::function<std::string(absl::string_view)>& entity_of_area,
    FieldViolations& violations) {
  std::vector<CsvRow> out;
  absl::StatusOr<std::vector<std::vector<std::string>>> lines =
      ReadLines(text);
  if (!lines.ok()) {
    violations.Add("csv", std::string(lines.status().message()));
    return out;
  }
  for (size_t r = 1; r <= lines->size(); ++r) {
    const std::vector<std::string>& row = (*lines)[r - 1];
    const std::string at = absl::StrCat("rows[", r, "]");
    auto bad = [&](const char* column, std::string why) {
      violations.Add(absl::StrCat(at, ".", column), std::move(why));
    };
    if (row.size() != Columns().size()) {
      bad("*",
          absl::StrCat("has ", row.size(), " fields, not ", Columns().size()));
      continue;
    }
    const int before = violations.size();
    if (row[0] != "dataflow") bad("STRUCTURE", "must be dataflow");
    if (row[1] != kSdmxStructureId) {
      bad("STRUCTURE_ID", absl::StrCat("must be ", kSdmxStructureId));
    }
    if (row[2] != "I" && row[2] != "A" && row[2] != "R") {
      bad("ACTION", "must be I, A or R (D is not supported)");
    }
    v1::Observation o;
    o.set_entity(entity_of_area(row[3]));
    o.set_indicator(row[4]);
    if (auto it = SexCodes().from_code.find(row[5]);
        it != SexCodes().from_code.end()) {
      o.set_sex(it->second);
    } else {
      bad("SEX", absl::StrCat("\"", Abbreviate(row[5]),
                              "\" is not _T, M, F, _O or _U"));
    }
    if (auto it = AgeCodes().from_code.find(row[6]);
        it != AgeCodes().from_code.end()) {
      o.set_age_group(it->second);
    } else {
      bad("AGE", absl::StrCat("\"", Abbreviate(row[6]),
                              "\" is not _T, Y_GE18, Y_LT18 or _U"));
    }
    if (row[7] != kTotal) {
      common::v1::ExploitationForm form;
      if (common::v1::ExploitationForm_Parse(absl::StrCat(kFormPrefix, row[7]),
                                             &form)) {
        o.set_exploitation_form(form);
      } else {
        bad("EXPLOITATION_FORM",
            absl::StrCat("\"", Abbreviate(row[7]),
                         "\" is not a form of exploitation"));
      }
    }
    if (row[8] != kTotal) o.set_citizenship(row[8]);
    absl::StatusOr<common::v1::ReportingPeriod> period =
        ParseTimePeriod(row[9]);
    if (period.ok()) {
      *o.mutable_period() = *period;
    } else {
      bad("TIME_PERIOD", std::string(period.status().message()));
    }
    if (!row[10].empty()) {
      int64_t value;
      if (absl::SimpleAtoi(row[10], &value)) {
        o.set_value(value);
      } else {
        bad("OBS_VALUE",
            absl::StrCat("\"", Abbreviate(row[10]), "\" is not an integer"));
      }
    }
    if (!row[11].empty()) {
      if (auto it = StatusCodes().from_code.find(row[11]);
          it != StatusCodes().from_code.end()) {
        o.set_status(it->second);
      } else {
        bad("OBS_STATUS", absl::StrCat("\"", Abbreviate(row[11]),
                                       "\" is not a CL_OBS_STATUS code"));
      }
    }
    o.set_notes(row[12]);
    if (!row[13].empty()) {
      v1::Observation only_sources;
      if (google::protobuf::util::JsonStringToMessage(row[13], &only_sources)
              .ok()) {
        *o.mutable_sources() = only_sources.sources();
      } else {
        bad("SOURCE", "not a JSON object {\"sources\": [...]}");
      }
    }
    if (violations.size() == before) {
      out.push_back({static_cast<int>(r), std::move(o)});
    }
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> SdmxCsvRefAreas(
    absl::string_view text) {
  absl::StatusOr<std::vector<std::vector<std::string>>> lines =
      ReadLines(text);
  if (!lines.ok()) return InvalidField("csv", std::string(lines.status().message()));
  std::vector<std::string> areas;
  for (size_t r = 1; r <= lines->size(); ++r) {
    const std::vector<std::string>& row = (*lines)[r - 1];
    if (row.size() != Columns().size()) {
      return InvalidField(absl::StrCat("rows[", r, "].*"),
                          absl::StrCat("has ", row.size(), " fields, not ",
                                       Columns().size()));
    }
    areas.push_back(row[3]);
  }
  return areas;
}

}  // namespace palermo::enforcement
