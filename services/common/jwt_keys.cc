// PEM keys for RS256 and ES256 (jwt_keys.h), with OpenSSL 3.
#include "services/common/jwt_keys.h"

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace palermo {
namespace {

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using Bio = std::unique_ptr<BIO, BioFree>;
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

// Refuses to read an encrypted key rather than prompting on the terminal,
// which is what OpenSSL does without a callback.
int NoPassphrase(char*, int, int, void*) { return 0; }

constexpr int kMinRsaBits = 2048;

// The algorithm `key` signs for, or why it signs for none of ours.
absl::StatusOr<JwtAlgorithm> AlgorithmOf(EVP_PKEY* key) {
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA: {
      const int bits = EVP_PKEY_get_bits(key);
      if (bits < kMinRsaBits) {
        return absl::InvalidArgumentError(
            absl::StrCat("an RSA key of ", bits, " bits: RS256 needs at least ",
                         kMinRsaBits));
      }
      return JwtAlgorithm::kRs256;
    }
    case EVP_PKEY_EC: {
      char curve[64] = {0};
      size_t length = 0;
      if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, curve,
                                         sizeof curve, &length) != 1 ||
          std::string(curve, length) != "prime256v1") {
        return absl::InvalidArgumentError(
            "an EC key on a curve other than P-256: ES256 needs P-256");
      }
      return JwtAlgorithm::kEs256;
    }
    default:
      return absl::InvalidArgumentError(
          "neither an RSA key (RS256) nor an EC P-256 key (ES256)");
  }
}

template <typename Write>
absl::StatusOr<std::string> WritePem(Write write) {
  Bio out(BIO_new(BIO_s_mem()));
  if (out == nullptr || write(out.get()) != 1) {
    ERR_clear_error();
    return absl::InternalError("OpenSSL could not write the key as PEM");
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(out.get(), &data);
  return std::string(data, size);
}

template <typename Read, typename Write>
absl::StatusOr<JwtKey> ParseKey(absl::string_view pem, const char* what,
                                Read read, Write write) {
  Bio in(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  Pkey key(in == nullptr ? nullptr : read(in.get()));
  ERR_clear_error();
  if (key == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("not a PEM ", what));
  }
  auto algorithm = AlgorithmOf(key.get());
  if (!algorithm.ok()) return algorithm.status();
  auto written = WritePem([&](BIO* out) { return write(out, key.get()); });
  if (!written.ok()) return written.status();
  return JwtKey{*algorithm, *std::move(written)};
}

}  // namespace

absl::string_view JwtAlgorithmName(JwtAlgorithm algorithm) {
  return algorithm == JwtAlgorithm::kRs256 ? "RS256" : "ES256";
}

absl::StatusOr<JwtKey> ParseJwtPublicKey(absl::string_view pem) {
  return ParseKey(
      pem, "public key",
      [](BIO* in) {
        return PEM_read_bio_PUBKEY(in, nullptr, NoPassphrase, nullptr);
      },
      [](BIO* out, EVP_PKEY* key) { return PEM_write_bio_PUBKEY(out, key); });
}

absl::StatusOr<JwtKey> ParseJwtPrivateKey(absl::string_view pem) {
  return ParseKey(
      pem, "private key (unencrypted)",
      [](BIO* in) {
        return PEM_read_bio_PrivateKey(in, nullptr, NoPassphrase, nullptr);
      },
      [](BIO* out, EVP_PKEY* key) {
        return PEM_write_bio_PrivateKey(out, key, nullptr, nullptr, 0, nullptr,
                                        nullptr);
      });
}

}  // namespace palermo
