// libFuzzer target: the report generator (services/reporting/report.h) on
// the reference dataset. An input is up to eight narrative blocks, each a
// Parts part (2-byte length, then the text, directives included), laid out
// in the sections in turn; the report is composed in French and English,
// Markdown and HTML. Whatever the text, composing ends in a report or an
// error, never a crash, leak or undefined behaviour.
#include <memory>
#include <string>
#include <vector>

#include "fuzz/fuzz_support.h"
#include "palermo/assistance/v1/assistance.pb.h"
#include "palermo/coordination/v1/coordination.pb.h"
#include "palermo/enforcement/v1/enforcement.pb.h"
#include "palermo/legislation/v1/legislation.pb.h"
#include "services/common/entities.h"
#include "services/reporting/report.h"

namespace palermo::fuzz {
namespace {

constexpr char kCycle[] = "cycles/ccpcj-17";

struct World {
  EntityRegistry registry;
  std::unique_ptr<reporting::EntityNames> names;
  reporting::CycleData data;
};

const World& TheWorld() {
  static const World* world = [] {
    auto* w = new World;
    auto registry = EntityRegistry::LoadDefault();
    if (!registry.ok()) std::abort();
    w->registry = *std::move(registry);
    auto names = reporting::EntityNames::LoadDefault(w->registry);
    if (!names.ok()) std::abort();
    w->names = std::make_unique<reporting::EntityNames>(*std::move(names));
    reporting::CycleData& d = w->data;
    d.cycle.set_name(kCycle);
    d.cycle.set_document_symbol("E/CN.15/2008/6");
    d.cycle.set_original_language("en");
    d.cycle.set_session_number(17);
    for (auto& [stem, l] :
         ReadReference<legislation::v1::Legislation>("legislation")) {
      const std::string entity =
          (stem == "LAS" ? "organizations/" : "countries/") + stem;
      l.set_name(entity + "/legislation");
      d.legislations.push_back(l);
      reporting::v1::Response r;
      r.set_name(std::string(kCycle) + "/responses/" + stem);
      r.set_entity(entity);
      d.responses.push_back(r);
    }
    int n = 0;
    for (auto& [stem, file] :
         ReadReference<enforcement::v1::ImportObservationsRequest>(
             "enforcement")) {
      for (auto o : file.observations()) {
        o.set_name(o.entity() + "/observations/" + std::to_string(n++));
        d.observations.push_back(o);
      }
    }
    for (auto& [stem, file] :
         ReadReference<assistance::v1::ListMeasuresResponse>("assistance")) {
      for (const auto& m : file.measures()) d.measures.push_back(m);
    }
    for (auto& [stem, file] :
         ReadReference<coordination::v1::EntityCoordination>("coordination")) {
      for (const auto& r : file.coordination_bodies()) {
        d.coordination_bodies.push_back(r);
      }
      for (const auto& r : file.training_activities()) {
        d.training_activities.push_back(r);
      }
      for (const auto& r : file.awareness_campaigns()) {
        d.awareness_campaigns.push_back(r);
      }
    }
    return w;
  }();
  return *world;
}

std::string Part(const std::string& text) {
  std::string out;
  out.push_back(static_cast<char>(text.size() & 0xff));
  out.push_back(static_cast<char>(text.size() >> 8));
  return out + text;
}

std::vector<std::string> Seeds() {
  return {
      Part("{{respondents}}") +
          Part("Ratifié{{footnote list legislations | protocol.status = "
               "RATIFIED}}."),
      Part("{{facts observations | entity = \"countries/MMR\"}}") +
          Part("{{list:the measures | measure_type = \"SHELTER\"}} ont dit."),
      Part("Le {{cycle note_verbale_date}}, {{cycle session}}.") +
          Part("{{footnote block n}}") + Part("{{list:in measures}}"),
      Part("{{facts legislations | penalties.group_range:*}}"),
      Part("{{"), Part("}}{{list}}{{ list legislations | }}"),
  };
}

}  // namespace
}  // namespace palermo::fuzz

PALERMO_FUZZ_INITIALIZE(palermo::fuzz::Seeds)

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace palermo;
  using namespace palermo::fuzz;
  const World& world = TheWorld();
  reporting::CycleData cycle = world.data;
  Parts parts(data, size);
  for (int i = 0; i < 8; ++i) {
    absl::string_view text = parts.Next();
    if (text.empty()) continue;
    reporting::v1::NarrativeBlock b;
    b.set_name(std::string(kCycle) + "/narrativeBlocks/" +
               (i == 2 ? std::string("n") : "b" + std::to_string(i)));
    b.set_section(static_cast<reporting::v1::ReportSection>(1 + i % 11));
    b.set_position(i);
    b.set_language(i % 2 ? "en" : "fr");
    b.set_kind(i == 2 ? reporting::v1::BLOCK_KIND_FOOTNOTE
                      : reporting::v1::BLOCK_KIND_PARAGRAPH);
    b.set_text(std::string(text));
    cycle.blocks.push_back(b);
  }
  for (auto language :
       {reporting::Language::kFrench, reporting::Language::kEnglish}) {
    for (auto format : {reporting::Format::kMarkdown, reporting::Format::kHtml}) {
      Consume(reporting::ComposeReport(cycle, *world.names, language, format));
    }
  }
  return 0;
}
