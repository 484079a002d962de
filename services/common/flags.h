// Command-line flags shared by every Palermo binary: where to listen, where
// the data lives, how to log, where the peers are, the transport limits and
// what overload may take (calls in flight, threads, memory), which store
// keeps the data, how a PostgreSQL store connects and how much of the change
// log to keep.
#ifndef PALERMO_SERVICES_COMMON_FLAGS_H_
#define PALERMO_SERVICES_COMMON_FLAGS_H_

#include <cstdint>
#include <string>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/time/time.h"

ABSL_DECLARE_FLAG(std::string, listen);
ABSL_DECLARE_FLAG(std::string, data_dir);
ABSL_DECLARE_FLAG(std::string, log_level);
ABSL_DECLARE_FLAG(std::string, log_format);
ABSL_DECLARE_FLAG(std::string, iso_codes_dir);
ABSL_DECLARE_FLAG(std::string, legislation_address);
ABSL_DECLARE_FLAG(std::string, enforcement_address);
ABSL_DECLARE_FLAG(std::string, assistance_address);
ABSL_DECLARE_FLAG(std::string, coordination_address);
ABSL_DECLARE_FLAG(std::string, reporting_address);
ABSL_DECLARE_FLAG(int, ready_fd);
ABSL_DECLARE_FLAG(int32_t, max_receive_message_bytes);
ABSL_DECLARE_FLAG(absl::Duration, shutdown_grace);
ABSL_DECLARE_FLAG(absl::Duration, outgoing_timeout);
ABSL_DECLARE_FLAG(absl::Duration, outgoing_stream_timeout);
ABSL_DECLARE_FLAG(absl::Duration, reconnect_backoff_max);
ABSL_DECLARE_FLAG(absl::Duration, connect_timeout);
ABSL_DECLARE_FLAG(absl::Duration, keepalive_time);
ABSL_DECLARE_FLAG(absl::Duration, keepalive_timeout);
ABSL_DECLARE_FLAG(int, max_inflight_calls);
ABSL_DECLARE_FLAG(int, max_concurrent_streams);
ABSL_DECLARE_FLAG(int, max_threads);
ABSL_DECLARE_FLAG(int64_t, grpc_memory_bytes);
ABSL_DECLARE_FLAG(absl::Duration, memory_release_interval);
ABSL_DECLARE_FLAG(std::string, store);
ABSL_DECLARE_FLAG(std::string, postgres_dsn);
ABSL_DECLARE_FLAG(std::string, postgres_schema);
ABSL_DECLARE_FLAG(int, postgres_pool_size);
ABSL_DECLARE_FLAG(int64_t, change_log_retain);

#endif  // PALERMO_SERVICES_COMMON_FLAGS_H_
