// Flags of the assistance service's own (assistance_flags.h).
#include "services/assistance/assistance_flags.h"

#include "absl/flags/flag.h"

ABSL_FLAG(std::string, case_records_listen, "127.0.0.1:50064",
          "Address of the case-records listener (CaseRecordService), apart "
          "from the public --listen; port 0 picks a free port (reported "
          "through --ready_fd).");
