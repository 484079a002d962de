// palermo-token: prints a development bearer token (./palermo token), signed
// with a PEM private key (the development key jwt-dev.key of
// tools/certs/make-dev-certs, or the palermo script's own). Exit status 2
// for a bad argument, naming it; 1 when the key cannot be read or used.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "services/common/token_signer.h"
#include "tools/token/token_command.h"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  auto request = palermo::token::ParseTokenArgs(args);
  if (!request.ok()) {
    std::cerr << "palermo-token: " << request.status().message() << "\n"
              << palermo::token::kUsage;
    return 2;
  }
  if (request->help) {
    std::cout << palermo::token::kUsage;
    return 0;
  }
  std::ifstream in(request->key_file, std::ios::binary);
  std::stringstream key;
  key << in.rdbuf();
  if (!in) {
    std::cerr << "palermo-token: --key_file: cannot read " << request->key_file
              << "\n";
    return 1;
  }
  auto token = palermo::SignToken(
      palermo::token::ClaimsFor(*request, absl::Now()), key.str());
  if (!token.ok()) {
    std::cerr << "palermo-token: " << request->key_file << ": "
              << token.status().message() << "\n";
    return 1;
  }
  std::cout << *token << "\n";
  return 0;
}
