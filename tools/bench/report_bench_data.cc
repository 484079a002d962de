// report-bench's synthetic cycle (report_bench_data.h).
#include "tools/bench/report_bench_data.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/field_mask.pb.h"
#include "services/assistance/client/assistance_client.h"
#include "services/assistance/client/assistance_names.h"
#include "services/coordination/client/coordination_client.h"
#include "services/coordination/client/coordination_names.h"
#include "services/enforcement/client/enforcement_client.h"
#include "services/legislation/client/legislation_client.h"
#include "services/reporting/client/reporting_client.h"
#include "services/reporting/client/reporting_names.h"

namespace palermo::bench {
namespace {

namespace cmn = common::v1;
namespace lv1 = legislation::v1;
namespace ev1 = enforcement::v1;
namespace av1 = assistance::v1;
namespace cv1 = coordination::v1;
namespace rv1 = reporting::v1;

constexpr char kSymbol[] = "BENCH/193";

// The codes of ISO 3166-1 that are not United Nations Member States
// (https://www.un.org/en/about-us/member-states): dependent territories,
// Antarctica, Taiwan, Western Sahara, and the two observer States (the Holy
// See, Palestine).
const std::set<std::string>& NotMemberStates() {
  static const auto* codes = new std::set<std::string>{
      "ABW", "AIA", "ALA", "ASM", "ATA", "ATF", "BES", "BLM", "BMU", "BVT",
      "CCK", "COK", "CUW", "CXR", "CYM", "ESH", "FLK", "FRO", "GGY", "GIB",
      "GLP", "GRL", "GUF", "GUM", "HKG", "HMD", "IMN", "IOT", "JEY", "MAC",
      "MAF", "MNP", "MSR", "MTQ", "MYT", "NCL", "NFK", "NIU", "PCN", "PRI",
      "PSE", "PYF", "REU", "SGS", "SHN", "SJM", "SPM", "SXM", "TCA", "TKL",
      "TWN", "UMI", "VAT", "VGB", "VIR", "WLF"};
  return *codes;
}

cmn::PartialDate Year(int year) {
  cmn::PartialDate d;
  d.set_year(year);
  d.set_precision(cmn::DATE_PRECISION_YEAR);
  return d;
}

cmn::PartialDate Day(int year, int month, int day) {
  cmn::PartialDate d;
  d.set_year(year);
  d.set_month(month);
  d.set_day(day);
  d.set_precision(cmn::DATE_PRECISION_DAY);
  return d;
}

cmn::ReportingPeriod Years(int from, int to) {
  cmn::ReportingPeriod p;
  *p.mutable_start() = Year(from);
  *p.mutable_end() = Year(to);
  return p;
}

rv1::LocalizedText Text(const char* language, const std::string& text) {
  rv1::LocalizedText t;
  t.set_language(language);
  t.set_text(text);
  return t;
}

// What one State's facts are made of: its code, its place in the list (for
// varied figures), the cycle and its response.
struct State {
  std::string code;
  std::string entity;  // countries/{code}
  int index = 0;
  std::string cycle;
  std::string response;
  std::string partner;  // another State, for cooperation

  // A source in the State's response: paragraph `paragraph` of the
  // synthetic document, quoting `excerpt` (French).
  cmn::Provenance Source(int paragraph, const std::string& excerpt) const {
    cmn::Provenance p;
    p.set_document_symbol(kSymbol);
    p.set_paragraph(paragraph);
    p.set_excerpt(absl::StrCat(excerpt, " (réponse de ", code, ")"));
    p.set_excerpt_language("fr");
    p.set_cycle(cycle);
    p.set_response(response);
    return p;
  }
};

lv1::Law MakeLaw(const State& s, lv1::LawKind kind, int year,
                 const std::string& title, const std::string& summary) {
  lv1::Law law;
  law.set_kind(kind);
  law.set_status(lv1::LAW_STATUS_IN_FORCE);
  law.set_year(year);
  law.set_title(title);
  law.set_summary(summary);
  *law.add_sources() = s.Source(5, absl::StrCat("a adopté la loi ", title));
  return law;
}

lv1::BooleanFact Fact(const State& s, bool value, const std::string& details,
                      int paragraph) {
  lv1::BooleanFact f;
  f.set_value(value);
  f.set_details(details);
  *f.add_sources() = s.Source(paragraph, details);
  return f;
}

lv1::Legislation MakeLegislation(const State& s) {
  const int i = s.index;
  lv1::Legislation l;
  l.set_name(absl::StrCat(s.entity, "/legislation"));
  auto* protocol = l.mutable_protocol();
  protocol->set_status(lv1::TREATY_STATUS_RATIFIED);
  *protocol->mutable_signature_date() = Year(2001 + i % 3);
  *protocol->mutable_consent_date() = Year(2004 + i % 10);
  *protocol->add_sources() = s.Source(5, "a ratifié le Protocole");
  auto* crc = l.mutable_crc_optional_protocol();
  crc->set_status(lv1::TREATY_STATUS_SIGNED);
  *crc->mutable_signature_date() = Year(2002 + i % 5);
  *crc->add_sources() = s.Source(7, "a signé le Protocole facultatif");
  *l.mutable_specific_law() =
      MakeLaw(s, lv1::LAW_KIND_ANTI_TRAFFICKING, 2005 + i % 15,
              "Loi relative à la lutte contre la traite des personnes",
              "Specific anti-trafficking law covering every form of "
              "exploitation.");
  *l.add_other_laws() =
      MakeLaw(s, lv1::LAW_KIND_CRIMINAL_LAW_AMENDMENT, 2006 + i % 12,
              "Loi portant modification du Code pénal",
              "Amendment of the Criminal Code defining trafficking.");
  *l.add_protection_laws() =
      MakeLaw(s, lv1::LAW_KIND_WITNESS_PROTECTION, 2007 + i % 10,
              "Loi sur la protection des témoins",
              "Protection of witnesses and victims in criminal proceedings.");
  *l.mutable_domestic_offences_cover_trafficking() =
      Fact(s, true, "Domestic offences cover trafficking in persons.", 5);
  auto* coverage = l.mutable_exploitation_coverage();
  coverage->add_forms(cmn::EXPLOITATION_FORM_SEXUAL_EXPLOITATION);
  coverage->add_forms(cmn::EXPLOITATION_FORM_FORCED_LABOUR);
  coverage->add_forms(cmn::EXPLOITATION_FORM_ORGAN_REMOVAL);
  *coverage->add_sources() = s.Source(6, "toutes les formes d’exploitation");
  auto* penalties = l.mutable_penalties();
  penalties->set_fine(true);
  penalties->set_min_imprisonment_months(12 * (2 + i % 4));
  penalties->set_max_imprisonment_months(12 * (8 + i % 8));
  penalties->set_confiscation(true);
  penalties->set_details("Imprisonment, fine and confiscation of proceeds.");
  *penalties->add_sources() = s.Source(6, "des peines d’emprisonnement");
  auto* aggravating = l.mutable_aggravating_circumstances();
  aggravating->set_minor_victim(true);
  aggravating->set_age_of_majority(18);
  aggravating->set_grave_consequences(true);
  aggravating->set_criminal_group(true);
  *aggravating->add_sources() = s.Source(6, "des circonstances aggravantes");
  *l.mutable_user_liability() =
      Fact(s, i % 2 == 0, "Users of the services of victims are liable.", 6);
  *l.mutable_money_laundering_predicate() = Fact(
      s, true, "Trafficking is a predicate offence to money laundering.", 6);
  auto* associated = l.mutable_associated_offences();
  associated->add_offences("document fraud");
  associated->add_offences("money laundering");
  *associated->add_sources() = s.Source(6, "des infractions connexes");
  auto* measure = l.add_implementation_measures();
  measure->set_kind(lv1::IMPLEMENTATION_MEASURE_KIND_DOCUMENT_SCRUTINY);
  measure->set_status(lv1::IMPLEMENTATION_STATUS_IN_PLACE);
  *measure->mutable_since() = Year(2020);
  measure->set_summary("Border guards scrutinise travel documents.");
  *measure->add_sources() = s.Source(11, "l’examen des documents de voyage");
  return l;
}

// Adds `extra`'s facts to `record` (a reference State's record): a fact
// the record already holds gets `extra`'s sources (the same fact, reported
// again in this cycle), a fact it lacks is copied, list elements are
// appended.
void MergeFacts(const lv1::Legislation& extra, lv1::Legislation& record) {
  using google::protobuf::FieldDescriptor;
  using google::protobuf::Message;
  const auto* d = record.GetDescriptor();
  const auto* r = record.GetReflection();
  for (int f = 0; f < d->field_count(); ++f) {
    const FieldDescriptor* field = d->field(f);
    if (field->type() != FieldDescriptor::TYPE_MESSAGE) continue;
    const FieldDescriptor* sources =
        field->message_type()->FindFieldByName("sources");
    if (sources == nullptr) continue;  // entity, timestamps
    if (field->is_repeated()) {
      for (int k = 0; k < r->FieldSize(extra, field); ++k) {
        r->AddMessage(&record, field)
            ->CopyFrom(r->GetRepeatedMessage(extra, field, k));
      }
      continue;
    }
    if (!r->HasField(extra, field)) continue;
    const Message& from = r->GetMessage(extra, field);
    if (!r->HasField(record, field)) {
      r->MutableMessage(&record, field)->CopyFrom(from);
      continue;
    }
    Message* fact = r->MutableMessage(&record, field);
    const auto* fr = from.GetReflection();
    for (int k = 0; k < fr->FieldSize(from, sources); ++k) {
      fact->GetReflection()
          ->AddMessage(fact, sources)
          ->CopyFrom(fr->GetRepeatedMessage(from, sources, k));
    }
  }
}

// 8 indicators x 3 years, persons arrested >= prosecuted >= convicted.
std::vector<ev1::Observation> MakeObservations(const State& s) {
  struct Figure {
    const char* indicator;
    int base;
  };
  static constexpr Figure kFigures[] = {
      {"CASES_INVESTIGATED", 60}, {"CASES_DETECTED", 50},
      {"PERSONS_ARRESTED", 40},   {"PERSONS_PROSECUTED", 30},
      {"PERSONS_CONVICTED", 20},  {"VICTIMS_IDENTIFIED", 80},
      {"VICTIMS_ASSISTED", 70},   {"OFFENCES_REGISTERED", 90}};
  std::vector<ev1::Observation> out;
  for (int year = 2021; year <= 2023; ++year) {
    const int spread = (s.index * 7 + year) % 10;
    for (const Figure& figure : kFigures) {
      ev1::Observation o;
      o.set_entity(s.entity);
      o.set_indicator(figure.indicator);
      *o.mutable_period() = Years(year, year);
      o.set_value(figure.base + spread * 100 + s.index);
      o.set_status(ev1::OBSERVATION_STATUS_NORMAL);
      *o.add_sources() = s.Source(
          12, absl::StrCat("chiffres de ", year, " (", figure.indicator, ")"));
      out.push_back(std::move(o));
    }
  }
  return out;
}

std::vector<std::pair<std::string, av1::Measure>> MakeMeasures(const State& s) {
  static constexpr const char* kTypes[] = {
      "SHELTER",           "LEGAL_AID",           "PSYCHOLOGICAL_SUPPORT",
      "REFLECTION_PERIOD", "TEMPORARY_RESIDENCE", "REINTEGRATION"};
  std::vector<std::pair<std::string, av1::Measure>> out;
  for (const char* type : kTypes) {
    av1::Measure m;
    m.set_measure_type(type);
    m.set_provided(true);
    m.add_providers(av1::PROVIDER_STATE);
    m.add_providers(av1::PROVIDER_NGO);
    m.add_target_groups(av1::TARGET_GROUP_WOMEN);
    m.add_target_groups(av1::TARGET_GROUP_CHILDREN);
    if (std::string(type) == "REFLECTION_PERIOD") {
      m.set_duration_days(30 + s.index % 60);
    }
    if (std::string(type) == "TEMPORARY_RESIDENCE") {
      m.set_min_duration_months(6);
      m.set_conditional_on_cooperation(s.index % 2 == 0);
    }
    m.set_notes(absl::StrCat("Synthetic ", absl::AsciiStrToLower(type),
                             " measure of ", s.code, "."));
    *m.add_sources() = s.Source(60, "fournit une assistance aux victimes");
    out.emplace_back(
        absl::StrCat("bench-", absl::StrReplaceAll(absl::AsciiStrToLower(type),
                                                   {{"_", "-"}})),
        std::move(m));
  }
  return out;
}

cv1::Institution Ministry(const std::string& name) {
  cv1::Institution i;
  i.set_kind(cv1::INSTITUTION_KIND_MINISTRY);
  i.set_display_name(name);
  return i;
}

// One thread's clients, on the shared channel.
struct Clients {
  explicit Clients(const std::shared_ptr<grpc::Channel>& channel,
                   const CallOptions& options)
      : legislation(channel, options),
        enforcement(channel, options),
        assistance(channel, options),
        coordination(channel, options),
        reporting(channel, options) {}
  legislation::LegislationClient legislation;
  enforcement::EnforcementClient enforcement;
  assistance::AssistanceClient assistance;
  coordination::CoordinationClient coordination;
  reporting::ReportingClient reporting;
};

absl::Status Failed(const absl::Status& s, const std::string& what) {
  return absl::Status(s.code(), absl::StrCat(what, ": ", s.message()));
}

absl::Status LoadState(Clients& c, const State& s, SyntheticCounts& counts) {
  // The response.
  rv1::CreateResponseRequest response;
  response.set_parent(s.cycle);
  auto* r = response.mutable_response();
  r->set_entity(s.entity);
  *r->mutable_received_date() = Day(2024, 2 + s.index % 2, 1 + s.index % 28);
  r->set_language(s.index % 3 == 0 ? "fr" : "en");
  r->set_form(rv1::RESPONSE_FORM_NOTE_VERBALE);
  *r->add_sources() = s.Source(3, "a répondu à la note verbale");
  if (auto x = c.reporting.CreateResponse(response); !x.ok()) {
    return Failed(x.status(), absl::StrCat("CreateResponse ", s.response));
  }
  ++counts.responses;

  // Legislation: created, or a reference record given the new facts.
  lv1::Legislation legislation = MakeLegislation(s);
  absl::StatusOr<lv1::Legislation> existing =
      c.legislation.GetLegislation(legislation.name());
  if (existing.ok()) {
    lv1::Legislation merged = *existing;
    MergeFacts(legislation, merged);
    lv1::UpdateLegislationRequest update;
    *update.mutable_legislation() = merged;
    update.mutable_update_mask()->add_paths("*");
    if (auto x = c.legislation.UpdateLegislation(update); !x.ok()) {
      return Failed(x.status(),
                    absl::StrCat("UpdateLegislation ", legislation.name()));
    }
    ++counts.legislations_extended;
  } else if (absl::IsNotFound(existing.status())) {
    lv1::CreateLegislationRequest create;
    create.set_parent(s.entity);
    *create.mutable_legislation() = legislation;
    if (auto x = c.legislation.CreateLegislation(create); !x.ok()) {
      return Failed(x.status(),
                    absl::StrCat("CreateLegislation ", legislation.name()));
    }
    ++counts.legislations_created;
  } else {
    return Failed(existing.status(),
                  absl::StrCat("GetLegislation ", legislation.name()));
  }

  // Enforcement: one atomic import on one stream.
  ev1::ImportObservationsRequest import;
  for (ev1::Observation& o : MakeObservations(s)) {
    *import.add_observations() = std::move(o);
  }
  absl::StatusOr<ev1::ImportObservationsResponse> imported =
      c.enforcement.ImportObservations({import});
  if (!imported.ok()) {
    return Failed(imported.status(),
                  absl::StrCat("ImportObservations ", s.entity));
  }
  if (imported->created() != import.observations_size()) {
    return absl::InternalError(
        absl::StrCat("ImportObservations ", s.entity, ": ", imported->created(),
                     " created of ", import.observations_size()));
  }
  counts.observations += import.observations_size();

  // Assistance.
  for (auto& [id, measure] : MakeMeasures(s)) {
    av1::CreateMeasureRequest create;
    create.set_parent(s.entity);
    create.set_measure_id(id);
    *create.mutable_measure() = measure;
    if (auto x = c.assistance.CreateMeasure(create); !x.ok()) {
      return Failed(x.status(),
                    absl::StrCat("CreateMeasure ", s.entity, "/", id));
    }
    ++counts.measures;
  }

  // Coordination: one record of each collection.
  auto created = [&](const auto& x, const char* what) {
    if (!x.ok()) {
      return Failed(x.status(), absl::StrCat(what, " ", s.entity));
    }
    ++counts.coordination_records;
    return absl::OkStatus();
  };
  {
    cv1::CreateCoordinationBodyRequest q;
    q.set_parent(s.entity);
    q.set_coordination_body_id("bench-commission");
    auto* b = q.mutable_coordination_body();
    b->set_display_name("National commission against trafficking");
    b->set_kind(cv1::BODY_KIND_COMMISSION);
    b->set_special_national_mechanism(true);
    b->set_scope(cv1::SCOPE_ALL_FORMS);
    *b->mutable_lead_institution() = Ministry("Ministry of the Interior");
    *b->add_member_institutions() = Ministry("Ministry of Justice");
    b->set_meeting_frequency(cv1::RECURRENCE_QUARTERLY);
    *b->mutable_established() = Year(2010 + s.index % 12);
    b->set_mandate("Coordinates the national response to trafficking.");
    *b->add_sources() = s.Source(70, "une commission nationale");
    if (auto st = created(c.coordination.CreateCoordinationBody(q),
                          "CreateCoordinationBody");
        !st.ok()) {
      return st;
    }
  }
  {
    cv1::CreateActionPlanRequest q;
    q.set_parent(s.entity);
    q.set_action_plan_id("bench-plan");
    auto* p = q.mutable_action_plan();
    p->set_display_name("National action plan against trafficking");
    p->set_kind(cv1::PLAN_KIND_NATIONAL_ACTION_PLAN);
    p->set_scope(cv1::SCOPE_ALL_FORMS);
    p->set_status(cv1::PLAN_STATUS_ADOPTED);
    *p->mutable_period() = Years(2021, 2025);
    p->set_duration_years(5);
    *p->add_implementing_institutions() = Ministry("Ministry of Justice");
    p->set_description("Prevention, protection and prosecution.");
    *p->add_sources() = s.Source(71, "un plan d’action national");
    if (auto st =
            created(c.coordination.CreateActionPlan(q), "CreateActionPlan");
        !st.ok()) {
      return st;
    }
  }
  {
    cv1::CreateReferralMechanismRequest q;
    q.set_parent(s.entity);
    q.set_referral_mechanism_id("bench-referral");
    auto* m = q.mutable_referral_mechanism();
    m->set_display_name("National referral mechanism");
    m->set_status(cv1::MECHANISM_STATUS_OPERATIONAL);
    m->set_basis("cooperation agreement");
    *m->mutable_drafted_by() = Ministry("Ministry of Social Affairs");
    *m->add_participating_institutions() = Ministry("Ministry of Health");
    *m->mutable_established() = Year(2015 + s.index % 8);
    m->set_notes("Refers identified victims to assistance.");
    *m->add_sources() = s.Source(72, "un mécanisme national d’orientation");
    if (auto st = created(c.coordination.CreateReferralMechanism(q),
                          "CreateReferralMechanism");
        !st.ok()) {
      return st;
    }
  }
  {
    cv1::CreateTrainingActivityRequest q;
    q.set_parent(s.entity);
    q.set_training_activity_id("bench-training");
    auto* t = q.mutable_training_activity();
    t->set_display_name("Training of police officers and prosecutors");
    t->set_kind(cv1::TRAINING_KIND_COURSE);
    *t->mutable_organizer() = Ministry("Police Academy");
    t->add_audiences(cv1::TRAINING_AUDIENCE_POLICE);
    t->add_audiences(cv1::TRAINING_AUDIENCE_PROSECUTORS);
    t->set_number_trained(100 + s.index);
    t->set_number_trained_qualifier(cv1::COUNT_QUALIFIER_EXACT);
    *t->mutable_period() = Years(2022, 2023);
    t->set_recurrence(cv1::RECURRENCE_ANNUAL);
    t->add_topics("Identification of victims");
    t->set_notes("Courses on the identification of victims.");
    *t->add_sources() = s.Source(40, "des formations");
    if (auto st = created(c.coordination.CreateTrainingActivity(q),
                          "CreateTrainingActivity");
        !st.ok()) {
      return st;
    }
  }
  {
    cv1::CreateAwarenessCampaignRequest q;
    q.set_parent(s.entity);
    q.set_awareness_campaign_id("bench-campaign");
    auto* a = q.mutable_awareness_campaign();
    a->set_display_name("National awareness campaign");
    *a->add_organizers() = Ministry("Ministry of the Interior");
    a->add_channels(cv1::CHANNEL_TELEVISION);
    a->add_channels(cv1::CHANNEL_RADIO);
    a->add_audiences(cv1::CAMPAIGN_AUDIENCE_GENERAL_PUBLIC);
    a->set_people_reached(10000 + 37 * s.index);
    *a->mutable_period() = Years(2023, 2023);
    a->set_recurrence(cv1::RECURRENCE_ONE_OFF);
    a->set_description("Television and radio spots on trafficking.");
    *a->add_sources() = s.Source(45, "une campagne de sensibilisation");
    if (auto st = created(c.coordination.CreateAwarenessCampaign(q),
                          "CreateAwarenessCampaign");
        !st.ok()) {
      return st;
    }
  }
  {
    cv1::CreateCooperationActivityRequest q;
    q.set_parent(s.entity);
    q.set_cooperation_activity_id("bench-agreement");
    auto* a = q.mutable_cooperation_activity();
    a->set_display_name("Bilateral agreement on trafficking");
    a->set_kind(cv1::COOPERATION_KIND_BILATERAL_AGREEMENT);
    a->set_role(cv1::COOPERATION_ROLE_PARTICIPANT);
    a->add_partners(absl::StrCat("countries/", s.partner));
    *a->mutable_period() = Years(2022, 2022);
    a->set_description("Agreement on the return of victims.");
    *a->add_sources() = s.Source(80, "un accord bilatéral");
    if (auto st = created(c.coordination.CreateCooperationActivity(q),
                          "CreateCooperationActivity");
        !st.ok()) {
      return st;
    }
  }
  return absl::OkStatus();
}

rv1::CreateCycleRequest MakeCycle(const std::string& cycle_id) {
  rv1::CreateCycleRequest q;
  q.set_cycle_id(cycle_id);
  rv1::Cycle* c = q.mutable_cycle();
  auto* mandate = c->mutable_mandate();
  mandate->set_resolution_symbol("BENCH/1");
  *mandate->add_adopted_by() = Text("fr", "Conseil économique et social");
  *mandate->add_adopted_by() = Text("en", "Economic and Social Council");
  *mandate->add_title() =
      Text("fr", "Cycle synthétique de 193 États (report-bench)");
  *mandate->add_title() =
      Text("en", "Synthetic cycle of 193 States (report-bench)");
  *c->mutable_requesting_body()->add_names() = Text("fr", "Secrétaire général");
  *c->mutable_requesting_body()->add_names() = Text("en", "Secretary-General");
  *c->mutable_receiving_body()->add_names() =
      Text("fr", "Office des Nations Unies contre la drogue et le crime");
  *c->mutable_receiving_body()->add_names() =
      Text("en", "United Nations Office on Drugs and Crime");
  *c->mutable_session_body()->add_names() =
      Text("fr", "Commission pour la prévention du crime et la justice pénale");
  *c->mutable_session_body()->add_names() =
      Text("en", "Commission on Crime Prevention and Criminal Justice");
  c->set_session_number(33);
  *c->mutable_note_verbale_date() = Day(2024, 1, 15);
  *c->mutable_deadline() = Day(2024, 3, 31);
  *c->mutable_cutoff_date() = Day(2024, 4, 30);
  c->set_document_symbol(kSymbol);
  c->set_original_language("en");
  c->set_status(rv1::CYCLE_STATUS_OPEN);
  *c->add_report_title() = *mandate->mutable_title(0);
  *c->add_report_title() = *mandate->mutable_title(1);
  cmn::Provenance source;
  source.set_document_symbol(kSymbol);
  source.set_paragraph(1);
  source.set_cycle(reporting::CycleName(cycle_id));
  *c->add_sources() = source;
  return q;
}

}  // namespace

std::vector<std::string> MemberStateCodes(const EntityRegistry& registry,
                                          int count, std::string* which) {
  const std::vector<std::string> all = registry.CountryCodes();
  std::vector<std::string> members;
  for (const std::string& code : all) {
    if (NotMemberStates().count(code) == 0) members.push_back(code);
  }
  if (members.size() == 193) {
    *which = absl::StrCat("UN Member States: the ", all.size(),
                          " ISO 3166-1 codes of iso-codes less the ",
                          all.size() - 193, " that are not Member States");
  } else {
    members = all;
    *which = absl::StrCat(
        "the first codes of iso-codes (", all.size(),
        " codes; UN membership could not be told: the non-members' list "
        "leaves ",
        members.size(), ", not 193)");
  }
  if (static_cast<int>(members.size()) > count) members.resize(count);
  return members;
}

absl::StatusOr<SyntheticCounts> LoadSyntheticCycle(
    std::shared_ptr<grpc::Channel> channel, const std::string& cycle_id,
    const std::vector<std::string>& codes, int threads) {
  CallOptions options;
  options.timeout = absl::Seconds(60);
  const std::string cycle = reporting::CycleName(cycle_id);
  {
    reporting::ReportingClient reporting(channel, options);
    if (auto c = reporting.CreateCycle(MakeCycle(cycle_id)); !c.ok()) {
      return Failed(c.status(), absl::StrCat("CreateCycle ", cycle));
    }
  }
  std::mutex mu;
  absl::Status first_error;  // guarded by mu
  SyntheticCounts total;     // guarded by mu
  std::atomic<bool> failed{false};
  std::vector<std::thread> pool;
  threads = std::max(1, threads);
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      Clients clients(channel, options);
      SyntheticCounts counts;
      for (size_t i = t; i < codes.size() && !failed; i += threads) {
        State s;
        s.code = codes[i];
        s.entity = absl::StrCat("countries/", codes[i]);
        s.index = static_cast<int>(i);
        s.cycle = cycle;
        s.response = reporting::ResponseName(cycle, codes[i]);
        s.partner = codes[(i + 1) % codes.size()];
        if (absl::Status st = LoadState(clients, s, counts); !st.ok()) {
          std::lock_guard<std::mutex> lock(mu);
          if (first_error.ok()) first_error = st;
          failed = true;
        }
      }
      std::lock_guard<std::mutex> lock(mu);
      total.responses += counts.responses;
      total.legislations_created += counts.legislations_created;
      total.legislations_extended += counts.legislations_extended;
      total.observations += counts.observations;
      total.measures += counts.measures;
      total.coordination_records += counts.coordination_records;
    });
  }
  for (std::thread& th : pool) th.join();
  if (!first_error.ok()) return first_error;
  return total;
}

}  // namespace palermo::bench
