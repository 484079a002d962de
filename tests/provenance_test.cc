// Every excerpt in the reference dataset (data/*/*.json) is the report's own
// words: an exact substring of E/CN.15/2008/6 once runs of whitespace are
// read as one space (or such substrings in order, joined by "…"), inside
// the paragraph its source cites.
#include <gmock/gmock.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace palermo {
namespace {

namespace fs = std::filesystem;
using google::protobuf::Value;

constexpr size_t kMaxExcerptChars = 200;

std::string Read(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Collapses runs of whitespace (ASCII, and the no-break spaces French
// typography uses) into one space, and trims.
std::string Normalize(const std::string& s) {
  std::string out;
  bool space = false;
  for (size_t i = 0; i < s.size();) {
    size_t width = 0;
    if (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r' ||
        s[i] == '\f' || s[i] == '\v') {
      width = 1;
    } else if (s.compare(i, 2, "\xc2\xa0") == 0) {
      width = 2;
    } else if (s.compare(i, 3, "\xe2\x80\xaf") == 0 ||
               s.compare(i, 3, "\xe2\x80\x89") == 0) {
      width = 3;
    }
    if (width > 0) {
      space = true;
      i += width;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += s[i++];
  }
  return out;
}

// The text without footnote calls, the digits glued to a word ("Protocole3
// est en cours"), which excerpts leave out.
std::string WithoutFootnoteCalls(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char prev = out.empty() ? ' ' : out.back();
    const bool after_letter =
        absl::ascii_isalpha(prev) || (prev >= 0x80 && prev <= 0xBF);
    if (after_letter && absl::ascii_isdigit(s[i])) {
      size_t j = i;
      while (j < s.size() && absl::ascii_isdigit(s[j])) ++j;
      if (j - i <= 2) {
        i = j - 1;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

size_t Utf8Chars(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// The report: its whole text, and each paragraph's. Paragraph N opens a line
// "N. ", numbered 1, 2, 3... in order (other numbered lines are not
// paragraphs: footnotes, list items).
struct Report {
  // Two readings of the report, verbatim and without footnote calls.
  std::string text[2];
  std::map<int, std::string> paragraphs[2];

  static Report Load(const fs::path& path) {
    const std::string raw = Read(path);
    std::vector<std::string> lines = absl::StrSplit(raw, '\n');
    std::vector<std::pair<int, size_t>> starts;
    for (size_t i = 0; i < lines.size(); ++i) {
      const std::string line = Normalize(lines[i]);
      const size_t dot = line.find(". ");
      int n = 0;
      if (dot != std::string::npos && dot <= 3 &&
          absl::SimpleAtoi(line.substr(0, dot), &n) &&
          n == static_cast<int>(starts.size()) + 1) {
        starts.emplace_back(n, i);
      }
    }
    Report report;
    report.text[0] = Normalize(raw);
    report.text[1] = WithoutFootnoteCalls(report.text[0]);
    for (size_t k = 0; k < starts.size(); ++k) {
      const size_t end =
          k + 1 < starts.size() ? starts[k + 1].second : lines.size();
      std::string paragraph;
      for (size_t i = starts[k].second; i < end; ++i) {
        absl::StrAppend(&paragraph, lines[i], "\n");
      }
      report.paragraphs[0][starts[k].first] = Normalize(paragraph);
      report.paragraphs[1][starts[k].first] =
          WithoutFootnoteCalls(Normalize(paragraph));
    }
    return report;
  }

  // Empty if the source is sound, else what is wrong with it. An excerpt may
  // leave words out with "…": its parts must then appear in order, the first
  // in the cited paragraph (a list may run on into its footnote).
  std::string Problem(const std::string& excerpt, int paragraph,
                      bool footnote) const {
    const std::string verbatim = Problem(excerpt, paragraph, footnote, 0);
    return verbatim.empty()                                   ? verbatim
           : Problem(excerpt, paragraph, footnote, 1).empty() ? ""
                                                              : verbatim;
  }

  std::string Problem(const std::string& excerpt, int paragraph, bool footnote,
                      int reading) const {
    if (excerpt.empty()) return "no excerpt";
    if (Utf8Chars(excerpt) > kMaxExcerptChars) {
      return absl::StrCat("excerpt longer than ", kMaxExcerptChars,
                          " characters");
    }
    std::vector<std::string> parts;
    for (absl::string_view part : absl::StrSplit(excerpt, "\xe2\x80\xa6")) {
      std::string words = Normalize(std::string(part));
      if (!words.empty()) parts.push_back(std::move(words));
    }
    if (parts.empty()) return "no excerpt";
    // Where the parts may start: anywhere for a footnote, else in the
    // cited paragraph; each next part follows the previous one.
    size_t at = 0;
    size_t first_end = std::string::npos;
    if (!footnote) {
      auto it = paragraphs[reading].find(paragraph);
      if (it == paragraphs[reading].end()) {
        return absl::StrCat("the report has no paragraph ", paragraph);
      }
      at = text[reading].find(it->second);
      first_end = at + it->second.size();
    }
    for (size_t i = 0; i < parts.size(); ++i) {
      const size_t found = text[reading].find(parts[i], at);
      if (found == std::string::npos) {
        return first_end == std::string::npos || i > 0 ||
                       text[reading].find(parts[i]) == std::string::npos
                   ? "excerpt is not in the report"
                   : absl::StrCat("excerpt is not in paragraph ", paragraph);
      }
      if (i == 0 && first_end != std::string::npos &&
          found + parts[i].size() > first_end) {
        return absl::StrCat("excerpt is not in paragraph ", paragraph);
      }
      at = found + parts[i].size();
    }
    return "";
  }
};

const Report& TheReport() {
  static const Report* report = new Report(Report::Load(
      fs::path(PALERMO_SOURCE_DIR) / "data/source/E-CN.15-2008-6.fr.txt"));
  return *report;
}

// Visits every JSON object holding an "excerpt", with its path.
void EachSource(const Value& value, const std::string& path,
                const std::function<void(const google::protobuf::Struct&,
                                         const std::string&)>& visit) {
  if (value.has_struct_value()) {
    const auto& fields = value.struct_value().fields();
    if (fields.count("excerpt")) visit(value.struct_value(), path);
    for (const auto& [key, child] : fields) {
      EachSource(child, absl::StrCat(path, ".", key), visit);
    }
  } else if (value.has_list_value()) {
    for (int i = 0; i < value.list_value().values_size(); ++i) {
      EachSource(value.list_value().values(i), absl::StrCat(path, "[", i, "]"),
                 visit);
    }
  }
}

TEST(ProvenanceTest, ReportHasItsNinetyThreeParagraphs) {
  EXPECT_EQ(TheReport().paragraphs[0].size(), 93u);
  EXPECT_EQ(TheReport().paragraphs[0].at(17).rfind("17. En Hongrie", 0), 0u);
}

TEST(ProvenanceTest, CheckerRefusesWordsNotInTheCitedParagraph) {
  const Report& r = TheReport();
  EXPECT_EQ(r.Problem("En Hongrie, une unité spécialisée", 17, false), "");
  // Line breaks and indentation in the source do not matter.
  EXPECT_EQ(r.Problem("la police allemande, autrichienne, britannique, danoise",
                      17, false),
            "");
  EXPECT_EQ(r.Problem("En Hongrie, une unité spécialisée", 18, false),
            "excerpt is not in paragraph 18");
  EXPECT_EQ(r.Problem("En Hongrie, une unité spéciale", 17, false),
            "excerpt is not in the report");
  EXPECT_EQ(r.Problem(std::string(201, 'a'), 17, false),
            "excerpt longer than 200 characters");
  // Words left out.
  EXPECT_EQ(r.Problem("En Hongrie, une unité … Bureau national des enquêtes",
                      17, false),
            "");
  EXPECT_EQ(r.Problem("chargée des enquêtes et de la coordination … En "
                      "Hongrie, une unité spécialisée",
                      17, false),
            "excerpt is not in the report");
  // Footnote calls may be left out, but not other digits.
  EXPECT_EQ(r.Problem("la ratification du Protocole est en cours", 5, false),
            "");
  EXPECT_EQ(r.Problem("la ratification du Protocole3 est en cours", 5, false),
            "");
  EXPECT_EQ(r.Problem("résolution 2006/ intitulée", 1, false),
            "excerpt is not in the report");
  EXPECT_EQ(r.Problem("En Hongrie", 94, false),
            "the report has no paragraph 94");
}

TEST(ProvenanceTest, EveryExcerptIsTheReportsOwnWords) {
  const Report& report = TheReport();
  std::map<std::string, int> checked;  // per data folder
  for (const auto& folder :
       fs::directory_iterator(fs::path(PALERMO_SOURCE_DIR) / "data")) {
    if (!folder.is_directory()) continue;
    for (const auto& file : fs::directory_iterator(folder.path())) {
      if (file.path().extension() != ".json") continue;
      Value root;
      ASSERT_TRUE(
          google::protobuf::util::JsonStringToMessage(Read(file.path()), &root)
              .ok())
          << file.path();
      EachSource(
          root, file.path().filename().string(),
          [&](const google::protobuf::Struct& source, const std::string& path) {
            const auto& f = source.fields();
            auto number = [&f](const char* key) {
              auto it = f.find(key);
              return it == f.end()
                         ? 0
                         : static_cast<int>(it->second.number_value());
            };
            ++checked[folder.path().filename().string()];
            EXPECT_EQ(
                report.Problem(f.at("excerpt").string_value(),
                               number("paragraph"), number("footnote") != 0),
                "")
                << folder.path().filename() << "/" << path << ": "
                << f.at("excerpt").string_value();
          });
    }
  }
  // Every folder of sourced records was read, the reporting cycle's too
  // (cycle.json's paras 1-2, one para 3 excerpt per response).
  for (const char* folder : {"legislation", "enforcement", "assistance",
                             "coordination", "reporting"}) {
    EXPECT_GT(checked[folder], 20) << folder;
  }
}

// The entities with a response in data/reporting/responses.json.
std::set<std::string> Respondents() {
  Value root;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(
                  Read(fs::path(PALERMO_SOURCE_DIR) /
                       "data/reporting/responses.json"),
                  &root)
                  .ok());
  std::set<std::string> out;
  for (const Value& r :
       root.struct_value().fields().at("responses").list_value().values()) {
    out.insert(r.struct_value().fields().at("entity").string_value());
  }
  return out;
}

// Every fact of the four domains belongs to the reference cycle, and to its
// entity's response when the entity responded (tools/data/stamp_cycle.py).
TEST(ProvenanceTest, EveryFactNamesItsCycleAndResponse) {
  const std::set<std::string> respondents = Respondents();
  ASSERT_EQ(respondents.size(), 24u);  // para 3: 23 States and the League
  EXPECT_FALSE(respondents.count("countries/LVA"));
  int stamped = 0;
  for (const char* domain :
       {"legislation", "enforcement", "assistance", "coordination"}) {
    for (const auto& file : fs::directory_iterator(
             fs::path(PALERMO_SOURCE_DIR) / "data" / domain)) {
      if (file.path().extension() != ".json") continue;
      const std::string stem = file.path().stem().string();
      std::string entity;
      for (const char* prefix : {"countries/", "organizations/"}) {
        if (respondents.count(prefix + stem)) entity = prefix + stem;
      }
      const std::string response =
          entity.empty() ? ""
                         : "cycles/ccpcj-17/responses/" + stem;
      Value root;
      ASSERT_TRUE(
          google::protobuf::util::JsonStringToMessage(Read(file.path()), &root)
              .ok());
      EachSource(root, file.path().filename().string(),
                 [&](const google::protobuf::Struct& source,
                     const std::string& path) {
                   const auto& f = source.fields();
                   auto text = [&f](const char* key) {
                     auto it = f.find(key);
                     return it == f.end() ? std::string()
                                          : it->second.string_value();
                   };
                   ++stamped;
                   EXPECT_EQ(text("cycle"), "cycles/ccpcj-17") << path;
                   EXPECT_EQ(text("response"), response) << path;
                 });
    }
  }
  EXPECT_GT(stamped, 400);
}

}  // namespace
}  // namespace palermo
