// palermo-report: writes a cycle's report, in French and English, as
// Markdown and as self-contained HTML, into a folder, through the gateway
// (./palermo report), with the reporting client library; over TLS with the
// --tls_* flags (services/common/tls.h) if the gateway's port is TLS.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "services/common/client.h"
#include "services/common/tls.h"
#include "services/reporting/client/reporting_client.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051", "the gateway");
ABSL_FLAG(std::string, cycle, "cycles/ccpcj-17", "the cycle");
ABSL_FLAG(std::string, out_dir, "palermo-report", "where to write");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(60), "per report");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  if (absl::Status s = palermo::ValidateTlsConfig(palermo::TlsConfigFromFlags());
      !s.ok()) {
    std::cerr << "palermo-report: " << s.message() << "\n";
    return 2;
  }
  const std::string out = absl::GetFlag(FLAGS_out_dir);
  std::error_code error;
  std::filesystem::create_directories(out, error);
  if (error) {
    std::cerr << "palermo-report: cannot create " << out << ": "
              << error.message() << "\n";
    return 1;
  }
  palermo::CallOptions options;
  options.timeout = absl::GetFlag(FLAGS_timeout);
  palermo::reporting::ReportingClient client(
      palermo::MakeChannel(absl::GetFlag(FLAGS_target)), options);
  const std::string cycle_name = absl::GetFlag(FLAGS_cycle);
  auto cycle = client.GetCycle(cycle_name);
  if (!cycle.ok()) {
    std::cerr << "palermo-report: " << cycle.status() << "\n";
    return 1;
  }
  // E/CN.15/2008/6 -> E-CN.15-2008-6.fr.html
  const std::string stem = absl::StrReplaceAll(
      cycle->document_symbol().empty() ? cycle_name : cycle->document_symbol(),
      {{"/", "-"}});
  for (const char* language : {"fr", "en"}) {
    for (const char* format : {"markdown", "html"}) {
      auto report = client.GenerateReport(cycle_name, language, format);
      if (!report.ok()) {
        std::cerr << "palermo-report: GenerateReport " << language << " "
                  << format << ": " << report.status() << "\n";
        return 1;
      }
      const std::string path =
          absl::StrCat(out, "/", stem, ".", language, ".",
                       std::string(format) == "html" ? "html" : "md");
      std::ofstream file(path, std::ios::binary);
      file << report->content();
      file.close();
      if (!file) {
        std::cerr << "palermo-report: cannot write " << path << "\n";
        return 1;
      }
      std::cout << "report " << path << " (" << report->content().size()
                << " bytes, " << report->paragraphs_size() << " paragraphs, "
                << report->footnotes_size() << " footnotes, sha256 "
                << report->content_sha256() << ")\n";
    }
  }
  return 0;
}
