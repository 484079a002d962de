// The gRPC glue of a synchronous service whose handlers only translate:
// each handler passes its request to the domain method of the same name and
// answers with Respond (status.h). Declares and defines the handlers of
// plain methods and of the five standard methods of a resource (AIP-131 to
// 135), so that a service's glue is its list of methods.
#ifndef PALERMO_SERVICES_COMMON_SYNC_HANDLERS_H_
#define PALERMO_SERVICES_COMMON_SYNC_HANDLERS_H_

#include <google/protobuf/empty.pb.h>
#include <grpcpp/grpcpp.h>

#include "services/common/change_feed_service.h"
#include "services/common/status.h"

// In the class: the handler of `Method`.
#define PALERMO_SYNC_UNARY(Method, Request, Response)                       \
  grpc::Status Method(grpc::ServerContext* context, const Request* request, \
                      Response* response) override;

// In the class: Get, List, Create, Update and Delete of resource `T`
// (plural `Ts`), messages of namespace `v1`.
#define PALERMO_SYNC_STANDARD(T, Ts)                                          \
  PALERMO_SYNC_UNARY(Get##T, v1::Get##T##Request, v1::T)                      \
  PALERMO_SYNC_UNARY(List##Ts, v1::List##Ts##Request, v1::List##Ts##Response) \
  PALERMO_SYNC_UNARY(Create##T, v1::Create##T##Request, v1::T)                \
  PALERMO_SYNC_UNARY(Update##T, v1::Update##T##Request, v1::T)                \
  PALERMO_SYNC_UNARY(Delete##T, v1::Delete##T##Request, google::protobuf::Empty)

// In the .cc: `Class::Method` answers with `domain_.Method(*request)`.
#define PALERMO_SYNC_HANDLER(Class, Method, Request, Response)           \
  grpc::Status Class::Method(grpc::ServerContext*, const Request* request, \
                             Response* response) {                         \
    return ::palermo::Respond(domain_.Method(*request), response);         \
  }

// In the .cc: the same for a write, `domain_.Method(*request, &sequence)`,
// whose answer carries the sequence of its change in its trailers
// (RespondToWrite, change_feed_service.h).
#define PALERMO_SYNC_WRITE_HANDLER(Class, Method, Request, Response)       \
  grpc::Status Class::Method(grpc::ServerContext* context,                 \
                             const Request* request, Response* response) { \
    return ::palermo::RespondToWrite(                                      \
        *context, response, [&](int64_t* sequence) {                       \
          return domain_.Method(*request, sequence);                       \
        });                                                                \
  }

// In the .cc: the five standard handlers of resource `T`.
#define PALERMO_SYNC_STANDARD_HANDLERS(Class, T, Ts)                          \
  PALERMO_SYNC_HANDLER(Class, Get##T, v1::Get##T##Request, v1::T)             \
  PALERMO_SYNC_HANDLER(Class, List##Ts, v1::List##Ts##Request,                \
                       v1::List##Ts##Response)                                \
  PALERMO_SYNC_WRITE_HANDLER(Class, Create##T, v1::Create##T##Request, v1::T) \
  PALERMO_SYNC_WRITE_HANDLER(Class, Update##T, v1::Update##T##Request, v1::T) \
  PALERMO_SYNC_WRITE_HANDLER(Class, Delete##T, v1::Delete##T##Request,        \
                             google::protobuf::Empty)

#endif  // PALERMO_SERVICES_COMMON_SYNC_HANDLERS_H_
