// Parsing of narrative-block directives.
#include "services/reporting/directives.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "palermo/assistance/v1/assistance.pb.h"
#include "palermo/coordination/v1/coordination.pb.h"
#include "palermo/enforcement/v1/enforcement.pb.h"
#include "palermo/legislation/v1/legislation.pb.h"
#include "palermo/reporting/v1/reporting.pb.h"
#include "services/common/filter.h"
#include "services/common/status.h"

namespace palermo::reporting {
namespace {

struct CollectionEntry {
  const char* name;
  const google::protobuf::Descriptor* (*type)();
};

const CollectionEntry kCollections[] = {
    {"legislations", &legislation::v1::Legislation::descriptor},
    {"observations", &enforcement::v1::Observation::descriptor},
    {"training_activities", &coordination::v1::TrainingActivity::descriptor},
    {"awareness_campaigns", &coordination::v1::AwarenessCampaign::descriptor},
    {"measures", &assistance::v1::Measure::descriptor},
    {"coordination_bodies", &coordination::v1::CoordinationBody::descriptor},
    {"action_plans", &coordination::v1::ActionPlan::descriptor},
    {"referral_mechanisms", &coordination::v1::ReferralMechanism::descriptor},
    {"cooperation_activities",
     &coordination::v1::CooperationActivity::descriptor},
    {"inter_agency_groups", &coordination::v1::InterAgencyGroup::descriptor},
    {"responses", &v1::Response::descriptor},
};

absl::Status Bad(absl::string_view field, absl::string_view directive,
                 absl::string_view why) {
  return InvalidField(std::string(field),
                      absl::StrCat("directive {{", Abbreviate(directive), "}}: ",
                                   why));
}

absl::StatusOr<Directive> ParseDirective(absl::string_view body,
                                         absl::string_view field) {
  Directive d;
  absl::string_view rest = absl::StripAsciiWhitespace(body);
  std::string filter;
  if (size_t bar = rest.find('|'); bar != absl::string_view::npos) {
    filter = std::string(absl::StripAsciiWhitespace(rest.substr(bar + 1)));
    rest = absl::StripAsciiWhitespace(rest.substr(0, bar));
  }
  std::vector<std::string> words =
      absl::StrSplit(rest, absl::ByAnyChar(" \t\n"), absl::SkipEmpty());
  if (words.empty()) return Bad(field, body, "empty");
  size_t i = 0;
  if (words[0] == "footnote") {
    d.footnote = true;
    ++i;
  }
  if (i >= words.size()) return Bad(field, body, "a verb must follow footnote");
  std::string verb = words[i++];
  std::string form;
  if (size_t colon = verb.find(':'); colon != std::string::npos) {
    form = verb.substr(colon + 1);
    verb = verb.substr(0, colon);
  }
  auto take_argument = [&]() -> absl::Status {
    if (i + 1 != words.size()) {
      return Bad(field, body, "takes exactly one argument before `|`");
    }
    d.argument = words[i];
    return absl::OkStatus();
  };
  if (verb == "cycle" && !d.footnote) {
    d.kind = Directive::Kind::kCycleField;
    if (absl::Status s = take_argument(); !s.ok()) return s;
    bool known = false;
    for (const std::string& f : CycleFields()) known = known || f == d.argument;
    if (!known) {
      return Bad(field, body,
                 absl::StrCat("unknown cycle field; one of ",
                              absl::StrJoin(CycleFields(), ", ")));
    }
  } else if (verb == "respondents" && !d.footnote) {
    d.kind = Directive::Kind::kRespondents;
    if (i != words.size()) return Bad(field, body, "takes no argument");
  } else if (verb == "block" && d.footnote) {
    d.kind = Directive::Kind::kBlock;
    if (absl::Status s = take_argument(); !s.ok()) return s;
  } else if (verb == "list" || verb == "facts") {
    d.kind = verb == "list" ? Directive::Kind::kList : Directive::Kind::kFacts;
    if (absl::Status s = take_argument(); !s.ok()) return s;
    const google::protobuf::Descriptor* type = CollectionType(d.argument);
    if (type == nullptr) {
      return Bad(field, body,
                 absl::StrCat("unknown collection; one of ",
                              absl::StrJoin(CollectionNames(), ", ")));
    }
    d.filter = filter;
    if (absl::StatusOr<Filter> f = Filter::Compile(filter, type); !f.ok()) {
      return Bad(field, body, absl::StrCat("filter: ", f.status().message()));
    }
  } else {
    return Bad(field, body,
               "unknown; one of cycle, respondents, list, facts, footnote");
  }
  if (!form.empty()) {
    if (d.kind != Directive::Kind::kList || d.footnote) {
      return Bad(field, body, "only an inline list takes a form (:the, :in)");
    }
    if (form == "the") {
      d.form = Directive::ListForm::kArticle;
    } else if (form == "in") {
      d.form = Directive::ListForm::kLocative;
    } else {
      return Bad(field, body, "form is :the or :in");
    }
  }
  if (!filter.empty() && d.kind != Directive::Kind::kList &&
      d.kind != Directive::Kind::kFacts) {
    return Bad(field, body, "only list and facts take a filter");
  }
  return d;
}

}  // namespace

const google::protobuf::Descriptor* CollectionType(
    absl::string_view collection) {
  for (const CollectionEntry& c : kCollections) {
    if (collection == c.name) return c.type();
  }
  return nullptr;
}

const std::vector<std::string>& CollectionNames() {
  static const auto* names = [] {
    auto* v = new std::vector<std::string>;
    for (const CollectionEntry& c : kCollections) v->push_back(c.name);
    return v;
  }();
  return *names;
}

const std::vector<std::string>& CycleFields() {
  static const auto* fields = new std::vector<std::string>{
      "resolution_symbol", "resolution_title", "adopted_by",
      "note_verbale_date", "deadline",         "cutoff_date",
      "session",           "session_body",     "document_symbol"};
  return *fields;
}

absl::StatusOr<std::vector<Piece>> ParseBlockText(absl::string_view text,
                                                  absl::string_view field) {
  std::vector<Piece> pieces;
  while (!text.empty()) {
    const size_t open = text.find("{{");
    if (open == absl::string_view::npos) {
      pieces.push_back({false, std::string(text), {}});
      break;
    }
    if (open > 0) pieces.push_back({false, std::string(text.substr(0, open)), {}});
    const size_t close = text.find("}}", open + 2);
    if (close == absl::string_view::npos) {
      return Bad(field, text.substr(open + 2), "not closed by }}");
    }
    const absl::string_view body = text.substr(open + 2, close - open - 2);
    absl::StatusOr<Directive> d = ParseDirective(body, field);
    if (!d.ok()) return d.status();
    pieces.push_back({true, std::string(body), *std::move(d)});
    text.remove_prefix(close + 2);
  }
  return pieces;
}

}  // namespace palermo::reporting
