#include "tests/connectors/google_oauth_fake.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <rapidjson/document.h>

#include <stdexcept>

#include "connectors/google/jwt_rs256.h"

namespace earshot::testing {
namespace {

std::string BioText(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(n));
}

std::string Base64UrlDecode(const std::string& s) {
  std::string b64 = s;
  for (char& c : b64) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  while (b64.size() % 4 != 0)
    b64 += '=';
  std::string out(b64.size(), '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(b64.data()),
                                static_cast<int>(b64.size()));
  if (n < 0) return "";
  size_t len = static_cast<size_t>(n);
  for (size_t i = b64.size(); i > 0 && b64[i - 1] == '='; --i)
    --len;
  out.resize(len);
  return out;
}

}  // namespace

const RsaKeyPem& TestRsaKey() {
  static const RsaKeyPem key = [] {
    RsaKeyPem k;
    EVP_PKEY* pkey = EVP_RSA_gen(2048);
    if (!pkey) throw std::runtime_error("RSA key generation failed");
    BIO* priv = BIO_new(BIO_s_mem());
    BIO* pub = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(priv, pkey, nullptr, nullptr, 0, nullptr, nullptr);
    PEM_write_bio_PUBKEY(pub, pkey);
    k.private_pem = BioText(priv);
    k.public_pem = BioText(pub);
    BIO_free(priv);
    BIO_free(pub);
    EVP_PKEY_free(pkey);
    return k;
  }();
  return key;
}

std::string WriteServiceAccountFile(const TempDir& dir, const std::string& token_uri,
                                    const std::string& client_email) {
  std::string pem;
  for (char c : TestRsaKey().private_pem) {
    if (c == '\n')
      pem += "\\n";
    else
      pem += c;
  }
  return dir.Write("service-account.json",
                   R"({"type":"service_account","project_id":"voltwave-care",)"
                   R"("private_key_id":"0123456789abcdef0123456789abcdef01234567",)"
                   R"("private_key":")" +
                       pem + R"(","client_email":")" + client_email +
                       R"(","client_id":"100000000000000000001",)"
                       R"("auth_uri":"https://accounts.google.com/o/oauth2/auth","token_uri":")" +
                       token_uri + R"(","universe_domain":"googleapis.com"})");
}

FakeGoogleTokenEndpoint::FakeGoogleTokenEndpoint(LocalHttpServer& host, std::string path,
                                                 std::string scope)
    : scope_(std::move(scope)) {
  host.server().Post(path, [this, path, &host](const httplib::Request& req,
                                               httplib::Response& res) {
    std::lock_guard lock(mu_);
    auto refuse = [&](const std::string& why) {
      last_error_ = why;
      res.status = 400;
      res.set_content(R"({"error":"invalid_grant","error_description":")" + why + "\"}",
                      "application/json");
    };
    if (req.get_param_value("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer") {
      return refuse("Unsupported grant type.");
    }
    const std::string assertion = req.get_param_value("assertion");
    if (!VerifyJwtRs256(assertion, TestRsaKey().public_pem)) {
      return refuse("Invalid JWT Signature.");
    }
    const size_t first = assertion.find('.');
    const size_t second = assertion.find('.', first + 1);
    rapidjson::Document header, claims;
    header.Parse(Base64UrlDecode(assertion.substr(0, first)).c_str());
    claims.Parse(Base64UrlDecode(assertion.substr(first + 1, second - first - 1)).c_str());
    if (header.HasParseError() || claims.HasParseError() || !claims.IsObject() ||
        !header.IsObject() || std::string(header["alg"].GetString()) != "RS256") {
      return refuse("Invalid JWT.");
    }
    auto str = [&](const char* k) {
      auto it = claims.FindMember(k);
      return it != claims.MemberEnd() && it->value.IsString() ? std::string(it->value.GetString())
                                                              : std::string();
    };
    if (str("scope") != scope_) return refuse("Invalid scope.");
    if (str("aud") != host.Url(path)) return refuse("Invalid JWT audience.");
    if (str("iss").find("@") == std::string::npos) return refuse("Invalid issuer.");
    auto iat = claims.FindMember("iat"), exp = claims.FindMember("exp");
    if (iat == claims.MemberEnd() || exp == claims.MemberEnd() || !iat->value.IsInt64() ||
        !exp->value.IsInt64() || exp->value.GetInt64() - iat->value.GetInt64() > 3600) {
      return refuse("Invalid JWT: expiry.");
    }
    issued_.push_back("ya29.test-" + std::to_string(issued_.size() + 1));
    res.set_content(R"({"access_token":")" + issued_.back() + R"(","expires_in":)" +
                        std::to_string(expires_in_) + R"(,"token_type":"Bearer"})",
                    "application/json");
  });
}

void FakeGoogleTokenEndpoint::ExpiresIn(int seconds) {
  std::lock_guard lock(mu_);
  expires_in_ = seconds;
}

std::vector<std::string> FakeGoogleTokenEndpoint::issued() const {
  std::lock_guard lock(mu_);
  return issued_;
}

bool FakeGoogleTokenEndpoint::IsCurrent(const std::string& authorization) const {
  std::lock_guard lock(mu_);
  return issued_.size() > revoked_ && authorization == "Bearer " + issued_.back();
}

void FakeGoogleTokenEndpoint::RevokeAll() {
  std::lock_guard lock(mu_);
  revoked_ = issued_.size();
}

std::string FakeGoogleTokenEndpoint::last_error() const {
  std::lock_guard lock(mu_);
  return last_error_;
}

}  // namespace earshot::testing
