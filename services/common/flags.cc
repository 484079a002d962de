#include "services/common/flags.h"

ABSL_FLAG(std::string, listen, "",
          "host:port to serve on; port 0 picks a free port. Empty means the "
          "service's own default: 0.0.0.0:50051 for the gateway, the public "
          "entry point; 127.0.0.1:5005x for the services behind it.");
ABSL_FLAG(std::string, data_dir, "palermo-data",
          "Directory holding the service's database.");
ABSL_FLAG(std::string, log_level, "info",
          "trace, debug, info, warn, error or off.");
ABSL_FLAG(std::string, log_format, "text", "text or json (one object a line).");
ABSL_FLAG(std::string, iso_codes_dir, "/usr/share/iso-codes/json",
          "Debian iso-codes JSON data (iso_3166-1.json).");
ABSL_FLAG(std::string, legislation_address, "127.0.0.1:50052",
          "Address of the legislation service.");
ABSL_FLAG(std::string, enforcement_address, "127.0.0.1:50053",
          "Address of the enforcement statistics service.");
ABSL_FLAG(std::string, assistance_address, "127.0.0.1:50054",
          "Address of the victim assistance service.");
ABSL_FLAG(std::string, coordination_address, "127.0.0.1:50055",
          "Address of the coordination service.");
ABSL_FLAG(std::string, reporting_address, "127.0.0.1:50056",
          "Address of the reporting service.");
ABSL_FLAG(int, ready_fd, -1,
          "If >= 0, write the bound port and a newline to this file "
          "descriptor once the service is SERVING, then close it. A process "
          "with more than one listener writes each one's port, separated by "
          "spaces, --listen's first (the assistance service: then its "
          "--case_records_listen).");
ABSL_FLAG(int32_t, max_receive_message_bytes, 4 << 20,
          "Largest request message accepted, in bytes.");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(10),
          "How long in-flight calls may run after SIGTERM.");
ABSL_FLAG(absl::Duration, outgoing_timeout, absl::Seconds(10),
          "Deadline of an outgoing call when the incoming call has a later "
          "one, or none.");
ABSL_FLAG(absl::Duration, outgoing_stream_timeout, absl::Minutes(10),
          "Deadline of an outgoing streaming call (imports, exports) when the "
          "incoming call has a later one, or none.");
ABSL_FLAG(absl::Duration, reconnect_backoff_max, absl::Milliseconds(250),
          "Longest wait between two attempts to reconnect to a service that "
          "is down (the first wait is 100 ms, gRPC's least): bounds how long "
          "after a service is back its callers still fail.");
ABSL_FLAG(absl::Duration, connect_timeout, absl::Seconds(5),
          "How long one attempt to connect to a service may take (TCP and "
          "HTTP/2 handshakes).");
ABSL_FLAG(absl::Duration, keepalive_time, absl::Seconds(60),
          "Interval of HTTP/2 keepalive pings on idle connections.");
ABSL_FLAG(absl::Duration, keepalive_timeout, absl::Seconds(20),
          "How long to wait for a keepalive ping's answer.");
ABSL_FLAG(int, max_inflight_calls, 256,
          "Most calls this process runs at a time (health checks excepted); "
          "a call beyond it is answered RESOURCE_EXHAUSTED at once, with a "
          "message, instead of waiting in a queue.");
ABSL_FLAG(int, max_concurrent_streams, 32,
          "Most concurrent calls (HTTP/2 streams) one client connection may "
          "open; more wait on the client's side.");
ABSL_FLAG(int, max_threads, 0,
          "Most threads gRPC may start for this server's synchronous "
          "handlers; 0 means --max_inflight_calls + 16.");
ABSL_FLAG(int64_t, grpc_memory_bytes, int64_t{256} << 20,
          "Memory gRPC may take for its buffers (its resource quota, shared "
          "by the server and the outgoing channels); under pressure it "
          "shrinks them.");
ABSL_FLAG(absl::Duration, health_probe_interval, absl::Seconds(1),
          "How often a service checks that its database server answers, "
          "and reports health NOT_SERVING while it does not.");
ABSL_FLAG(absl::Duration, memory_release_interval, absl::Seconds(10),
          "How often free heap memory is given back to the system; 0 "
          "never.");
ABSL_FLAG(int, postgres_pool_size, 8,
          "Connections a service keeps to PostgreSQL at most "
          "(--store=postgres); a call waits for a free one.");
ABSL_FLAG(absl::Duration, watch_heartbeat_interval, absl::Seconds(5),
          "How often WatchChanges sends a heartbeat when nothing changes and "
          "the request sets no heartbeat_interval (100ms to 1h).");
ABSL_FLAG(int, max_watches, 1024,
          "Most WatchChanges calls this process serves at once; more are "
          "answered RESOURCE_EXHAUSTED. Watches are long-lived, so they do "
          "not count against --max_inflight_calls.");
ABSL_FLAG(int64_t, change_log_retain, 1000000,
          "Fewest change log entries a store keeps (the newest); older ones "
          "are compacted, and a watch from before them gets OUT_OF_RANGE.");
