// Request ids, etags and request fingerprints (idempotency.h).
#include "services/common/idempotency.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace palermo {

namespace {
constexpr size_t kMaxRequestIdLength = 128;
}  // namespace

void ValidateRequestId(absl::string_view id, FieldViolations& v) {
  if (id.size() > kMaxRequestIdLength) {
    v.Add("request_id",
          absl::StrCat("longer than ", kMaxRequestIdLength, " characters"));
  }
  for (char c : id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' &&
        c != '_' && c != '.') {
      v.Add("request_id",
            "only letters, digits, '-', '_' and '.' (a UUID is best)");
      return;
    }
  }
}

absl::Status RequestIdReusedError() {
  return InvalidField("request_id",
                      "already used for a different request; use a new id");
}

std::string EtagFor(int64_t revision) { return absl::StrCat("r", revision); }

namespace internal {

EVP_MD_CTX* Start(absl::string_view method) {
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  EVP_DigestInit_ex(context, EVP_sha256(), nullptr);
  EVP_DigestUpdate(context, method.data(), method.size());
  return context;
}

void AppendDeterministic(const google::protobuf::Message& message,
                         EVP_MD_CTX* context) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  EVP_DigestUpdate(context, bytes.data(), bytes.size());
}

std::string Finish(EVP_MD_CTX* context) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_DigestFinal_ex(context, digest, &size);
  EVP_MD_CTX_free(context);
  return std::string(reinterpret_cast<char*>(digest), size);
}

}  // namespace internal

std::string RequestFingerprint(absl::string_view method,
                               const google::protobuf::Message& request) {
  EVP_MD_CTX* context = internal::Start(method);
  internal::AppendDeterministic(request, context);
  return internal::Finish(context);
}

}  // namespace palermo
