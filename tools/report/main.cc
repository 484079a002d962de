// palermo-report: writes a cycle's report, in French and English, as
// Markdown and as self-contained HTML, into a folder, through the gateway
// (./palermo report).
#include <fstream>
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "palermo/reporting/v1/reporting.grpc.pb.h"
#include "services/common/client.h"
#include "services/common/status.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051", "the gateway");
ABSL_FLAG(std::string, cycle, "cycles/ccpcj-17", "the cycle");
ABSL_FLAG(std::string, out_dir, "palermo-report", "where to write");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(60), "per report");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  namespace v1 = palermo::reporting::v1;
  const std::string out = absl::GetFlag(FLAGS_out_dir);
  std::string mkdir = absl::StrCat("mkdir -p '", out, "'");
  if (std::system(mkdir.c_str()) != 0) {
    std::cerr << "palermo-report: cannot create " << out << "\n";
    return 1;
  }
  auto stub = v1::ReportingService::NewStub(
      palermo::MakeChannel(absl::GetFlag(FLAGS_target)));
  for (const char* language : {"fr", "en"}) {
    for (const char* format : {"markdown", "html"}) {
      v1::GenerateReportRequest request;
      request.set_cycle(absl::GetFlag(FLAGS_cycle));
      request.set_language(language);
      request.set_format(format);
      grpc::ClientContext context;
      context.set_deadline(
          absl::ToChronoTime(absl::Now() + absl::GetFlag(FLAGS_timeout)));
      v1::Report report;
      grpc::Status status = stub->GenerateReport(&context, request, &report);
      if (!status.ok()) {
        std::cerr << "palermo-report: GenerateReport " << language << " "
                  << format << ": " << status.error_message() << "\n";
        return 1;
      }
      v1::GetCycleRequest get;
      get.set_name(request.cycle());
      grpc::ClientContext cycle_context;
      cycle_context.set_deadline(
          absl::ToChronoTime(absl::Now() + absl::GetFlag(FLAGS_timeout)));
      v1::Cycle cycle;
      std::string stem = absl::StrReplaceAll(request.cycle(), {{"/", "-"}});
      if (stub->GetCycle(&cycle_context, get, &cycle).ok() &&
          !cycle.document_symbol().empty()) {
        stem = absl::StrReplaceAll(cycle.document_symbol(), {{"/", "-"}});
      }
      const std::string path =
          absl::StrCat(out, "/", stem, ".", language, ".",
                       std::string(format) == "html" ? "html" : "md");
      std::ofstream file(path, std::ios::binary);
      file << report.content();
      if (!file.good()) {
        std::cerr << "palermo-report: cannot write " << path << "\n";
        return 1;
      }
      std::cout << "report " << path << " (" << report.content().size()
                << " bytes, " << report.paragraphs_size() << " paragraphs, "
                << report.footnotes_size() << " footnotes, sha256 "
                << report.content_sha256() << ")\n";
    }
  }
  return 0;
}
