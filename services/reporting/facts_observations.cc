// Sentences stating an entity's observations: figures grouped by period as
// reported ("Le Myanmar a indiqué que, entre juillet 2002 et octobre 2007, on
// dénombrait 1 037 cas de traite des personnes, ..."), reported zeros
// ("n'avoir connaissance d'aucun cas"), and a sentence for each figure whose
// status is not normal (Cuba's figure that includes migrant smuggling).
#include <algorithm>
#include <map>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/ascii.h"
#include "services/reporting/facts_internal.h"

namespace palermo::reporting::internal {
namespace {

using common::v1::PartialDate;
using enforcement::v1::Observation;

std::tuple<int, int, int, int> DateKey(const PartialDate& d) {
  return {d.year(), d.month(), d.day(), d.precision()};
}

using PeriodKey = std::tuple<std::tuple<int, int, int, int>,
                             std::tuple<int, int, int, int>>;

PeriodKey KeyOf(const Observation& o) {
  return {DateKey(o.period().start()), DateKey(o.period().end())};
}

// A period with an open start that ends at the cycle's cut-off month stands
// for "as of the responses": the report states no period (data/enforcement
// README: Liechtenstein, Romania).
bool StatesNoPeriod(const Observation& o, const CycleData& data) {
  const PartialDate& cutoff = data.cycle.cutoff_date();
  const auto& p = o.period();
  if (p.start().year() == 0 && p.end().year() == 0) return true;
  return p.start().year() == 0 && cutoff.year() != 0 &&
         p.end().year() == cutoff.year() &&
         (p.end().month() == 0 || p.end().month() == cutoff.month());
}

std::string StatusKeyword(enforcement::v1::ObservationStatus status) {
  switch (status) {
    case enforcement::v1::OBSERVATION_STATUS_DEFINITION_DIFFERS:
      return "definition_differs";
    case enforcement::v1::OBSERVATION_STATUS_ESTIMATED:
      return "estimated";
    case enforcement::v1::OBSERVATION_STATUS_PROVISIONAL:
      return "provisional";
    case enforcement::v1::OBSERVATION_STATUS_BREAK:
      return "break";
    default:
      return "other";
  }
}

absl::StatusOr<std::string> Figure(const Observation& o, Language language) {
  const MessageArgs args = {{"n", o.value()},
                            {"count", FormatNumber(o.value(), language)},
                            {"code", o.indicator()}};
  auto figure =
      FormatMessage(language, absl::StrCat("indicator.", o.indicator()), args);
  if (absl::IsNotFound(figure.status())) {
    return FormatMessage(language, "indicator.other", args);
  }
  return figure;
}

}  // namespace

absl::StatusOr<std::string> ObservationSentences(
    const std::vector<const Observation*>& observations,
    const MessageArgs& entity, const CycleData& data, const EntityNames& names,
    const common::v1::PartialDate& date, Language language) {
  // Figures of a period in the order of the indicator catalogue.
  std::map<std::string, int> indicator_rank;
  for (size_t i = 0; i < data.indicators.size(); ++i) {
    indicator_rank.emplace(data.indicators[i].code(), static_cast<int>(i));
  }
  std::map<PeriodKey, std::vector<const Observation*>> by_period;
  for (const Observation* o : observations) {
    if (o->has_value()) by_period[KeyOf(*o)].push_back(o);
  }
  std::string text;
  for (auto& [key, group] : by_period) {
    std::stable_sort(group.begin(), group.end(),
                     [&](const Observation* a, const Observation* b) {
                       auto rank = [&](const Observation* o) {
                         auto it = indicator_rank.find(o->indicator());
                         return it == indicator_rank.end()
                                    ? static_cast<int>(indicator_rank.size())
                                    : it->second;
                       };
                       return rank(a) < rank(b);
                     });
    const Observation& first = *group.front();
    const bool has_period = !StatesNoPeriod(first, data);
    const MessageArgs period = {
        {"has_period", std::string(has_period ? "yes" : "no")},
        {"period", has_period ? FormatPeriod(first.period(), language) : ""}};
    std::vector<std::string> figures;
    std::vector<std::string> after;  // zeros and status notes
    for (const Observation* o : group) {
      auto figure = Figure(*o, language);
      if (!figure.ok()) return figure.status();
      if (o->value() == 0) {
        auto zero = FormatMessage(
            language, "facts.observation.zero",
            With(With(entity, period), {{"figure", *figure}}));
        if (!zero.ok()) return zero.status();
        after.push_back(*zero);
      } else {
        figures.push_back(*figure);
      }
      if (o->destinations_size() > 0) {
        std::vector<std::string> where;
        for (const std::string& code : o->destinations()) {
          auto name = names.Name(absl::StrCat("countries/", code), date,
                                 language, NameForm::kArticle);
          if (!name.ok()) return name.status();
          where.push_back(*name);
        }
        auto destinations = FormatMessage(
            language, "facts.observation.destinations",
            {{"figure", *figure}, {"list", JoinList(where, language)}});
        if (!destinations.ok()) return destinations.status();
        after.push_back(*destinations);
      }
      if (o->status() != enforcement::v1::OBSERVATION_STATUS_NORMAL &&
          o->status() != enforcement::v1::OBSERVATION_STATUS_UNSPECIFIED) {
        // The French report quotes the source; the English one the note.
        const std::string quote = language == Language::kFrench
                                      ? FrenchExcerpt(o->sources())
                                      : AsClause(o->notes());
        auto status = FormatMessage(
            language, "facts.observation.status",
            With(entity, {{"figure", *figure},
                          {"status", StatusKeyword(o->status())},
                          {"has_quote", std::string(quote.empty() ? "no" : "yes")},
                          {"quote", quote}}));
        if (!status.ok()) return status.status();
        after.push_back(*status);
      }
    }
    if (!figures.empty()) {
      auto sentence = FormatMessage(
          language, "facts.observations",
          With(With(entity, period),
               {{"figures", JoinList(figures, language)}}));
      if (!sentence.ok()) return sentence.status();
      AppendSentence(text, *sentence);
    }
    for (const std::string& sentence : after) AppendSentence(text, sentence);
  }
  // Figures reported without a count ("avoir réprimé des infractions"):
  // what was reported, and that no number was given.
  for (const Observation* o : observations) {
    if (o->has_value()) continue;
    const MessageArgs args = {{"n", int64_t{2}},
                              {"count", std::string(language == Language::kFrench
                                                        ? "des"
                                                        : "")},
                              {"code", o->indicator()}};
    auto what = FormatMessage(language, absl::StrCat("indicator.", o->indicator()),
                              args);
    if (absl::IsNotFound(what.status())) continue;  // no words for it
    if (!what.ok()) return what.status();
    auto sentence = FormatMessage(
        language, "facts.observation.uncounted",
        With(entity, {{"what", std::string(absl::StripAsciiWhitespace(*what))}}));
    if (!sentence.ok()) return sentence.status();
    AppendSentence(text, *sentence);
  }
  return text;
}

}  // namespace palermo::reporting::internal
