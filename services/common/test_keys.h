// TEST ONLY: fixed key pairs for the tests and fuzz target of the token
// signer and verifier (token_signer.h, token_verifier.h), fixed so that a
// fuzzer's crashing input reproduces. These keys are public (they are in the
// repository): nothing outside tests may ever trust them. Also unusable keys
// for the refusals: an RSA key too short, an EC key on P-384, an Ed25519 key.
#ifndef PALERMO_SERVICES_COMMON_TEST_KEYS_H_
#define PALERMO_SERVICES_COMMON_TEST_KEYS_H_

namespace palermo::test_keys {

// EC P-256.
inline constexpr char kEcKey1Private[] = R"pem(-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgqj2Y0usNpsfvsoVk
rrR9NcvI1WRPplSS69+gxFQ5LaChRANCAASHpn8KgX6v+aXF5zkdL7tw+bXMmnob
4Ws+Dc6p/eK6BzZO2we28EVkDjIMRGq9ruF90qD/fMwaWYWoX8e7hRZn
-----END PRIVATE KEY-----
)pem";
inline constexpr char kEcKey1Public[] = R"pem(-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEh6Z/CoF+r/mlxec5HS+7cPm1zJp6
G+FrPg3Oqf3iugc2TtsHtvBFZA4yDERqva7hfdKg/3zMGlmFqF/Hu4UWZw==
-----END PUBLIC KEY-----
)pem";

// EC P-256.
inline constexpr char kEcKey2Private[] = R"pem(-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgDqRR1n2+0R3g9xCT
7FKJmw8a3JIj5UeqrMTk3X1556ahRANCAASsaThbGo32kXJ9p/oOPdXHaX6XtjmS
7N8lTmRXweTXKgyy4APaybRtah4pfoGiraaXx7fBoGhKQeBjq1pYrCzu
-----END PRIVATE KEY-----
)pem";
inline constexpr char kEcKey2Public[] = R"pem(-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAErGk4WxqN9pFyfaf6Dj3Vx2l+l7Y5
kuzfJU5kV8Hk1yoMsuAD2sm0bWoeKX6Boq2ml8e3waBoSkHgY6taWKws7g==
-----END PUBLIC KEY-----
)pem";

// RSA 2048.
inline constexpr char kRsaKey1Private[] = R"pem(-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCpt4GRE1OKw71T
g1KDe6efZrM5CLA1lJ3tFSyynExOE/7/In3VFEc96dPCEYtzma7usfe7RhtxEqIS
xEt5jqojGKw4JNSUc/NFZJfLQd27GeBeaoOyAF+DsGGAQNhljcL7rDenP5b54ddY
VsvPu37UA9GkwqibmYcSujGH0ibLMeittxrTSpPhxfLWnnJHTMK4qc48UbbZZuKf
j732seEnejGf8Mpz/mB2YV6QCxioPxYIe1KDJOqQO3ygS+ZT6ZJluEqHg/2MluIM
nhJJe/kfnK3rdHjfUTIB/xjr0+VxASHkTH0f5Lij5lqCb8e4vWgx1BR9YTj3962F
5kCpOwzTAgMBAAECggEABMJtyRGnlJ5aDccCuXqhk0gc7sfUsgcs1jkmftkAqZ0V
WBzxnKTY1wT0ZTguI68W9E1PLlQ2sP+XeWF1RzK3u7874seWb8lZ2t080olSb6ZR
bMrQ6BBRnWhRyHgV3+QCju55kXoOwL6gIuaTbz888DL60WnyGSPMYW6RgaBK0GtW
NBSHNIv1g9v84m5ph4trXE20uFH+XW0QclsbcxdNq36TkW9e+qwnMVQQ+jsS3L1g
OXeYwdkUyd2Lu0Mj/D6IQ1TgNgOM2Z3YhF43Z90HuzHoACQUKFfLdbe5xtRS95Oz
r0HTBe+UzZS94MZ5Ovi+YEbhi/kqWlLzQ9uO6GblwQKBgQDtFFm+vPrQw/HX2ve/
xH4LU8yNiUNPLZBas+5+Fn7WunK90AbWzXSrSKCgPpExFeZdy0VhC5LCMlTp8GKb
np69uyoLACspnV9fzgDGCGC2+gE9bOGOoItKbOJDcjs/nUcHFYIZJUJs8Ao0f0kN
+eFzHhfIYQHBYe0+B+oi6yD8QQKBgQC3QudCHPl92/jblvkl7qN3X5cBfHsUo1np
me3boSK8QcmHj9JFRKB8hLP71DEyTG6Qs+kCop6z29BCXytLYP3tk4MD+FDr11RL
klKdUtVAlVcFZvQKrsS00tyUmakcvP/PfFudzbn4MJ2AduhSuIZw3+lznqJ5wq6+
KWQg3kNUEwKBgGsAc1z2GFHfDik5Z/ZCbg0YvkrnN9zlmLCHY02/Q3IQ5raqzFto
kY65Ed4hPxCjbLzKgL7DJXLGmrKXTzojhkvlzJz4b4Kxx5kK9ihrIZOUFLkvikIA
Tb3ClQCR7xHQH32gBH7q5Scb089L36ISNOHrJBrJRayNUTFdCxzFeLbBAoGAP9Nc
Salft1bqaEg/g9eGNSgkpo7dKwXtZa+HqOuI9noPH1iWyispndR1/uobLEJ0a49N
Qu6yST/wW31bzcf9CEZM5hAQ1uLK5/sRLNvRi8m3YhlGO4Y82iFqU5Lk1C57BZ9x
JRemgmskH77KES1VHXDOlMcWHUQRqgcuaUgfuOMCgYEAma01SBmW/utWqtftA9O0
GC2E4KI7XA8yUHEXD7kwbvzTZhBTnY92ggAbA8lJ9CfoVdZe3oOGE7IClYXfWQse
0BNUC2BRiYKxZ/SZVGftD3VWbKCu7zew8a0VQGJ2I7n7H16+tQbpiNi9INfmbgCg
zWPa+nDh0/gDU5TmHFuR/xI=
-----END PRIVATE KEY-----
)pem";
inline constexpr char kRsaKey1Public[] = R"pem(-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAqbeBkRNTisO9U4NSg3un
n2azOQiwNZSd7RUsspxMThP+/yJ91RRHPenTwhGLc5mu7rH3u0YbcRKiEsRLeY6q
IxisOCTUlHPzRWSXy0HduxngXmqDsgBfg7BhgEDYZY3C+6w3pz+W+eHXWFbLz7t+
1APRpMKom5mHEroxh9ImyzHorbca00qT4cXy1p5yR0zCuKnOPFG22Wbin4+99rHh
J3oxn/DKc/5gdmFekAsYqD8WCHtSgyTqkDt8oEvmU+mSZbhKh4P9jJbiDJ4SSXv5
H5yt63R431EyAf8Y69PlcQEh5Ex9H+S4o+Zagm/HuL1oMdQUfWE49/etheZAqTsM
0wIDAQAB
-----END PUBLIC KEY-----
)pem";

// RSA 1024 (too short for RS256).
inline constexpr char kRsa1024Public[] = R"pem(-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQChdO4AgR0RxgfktjvzoYRtzZT7
AzYsCf7TzBwlNKXzc+jvhXfyBRFkRSZ5y9nWZq99NrdbI/I6Ksg2s3ipIHYZZs5G
mpXciI8A6he7nzCj49oq8pahAvBizp07m4O0RU6PiM04fdADz9rvJqjzAMeH4Sqh
4vOXFaf6CRjBvo8+GQIDAQAB
-----END PUBLIC KEY-----
)pem";

// EC P-384 (not ES256).
inline constexpr char kP384Public[] = R"pem(-----BEGIN PUBLIC KEY-----
MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAE4uqAwZ3XJ/Iq9iBqMoU8QPY+4nz/fH8N
WSHZxqryxKasthuRCDuZ470XIObvyl5hpyecEZyKBdOGBEaeXLnH8rv4qGbbre+g
LTxD2Z72hv06oRhulp4s0kUyP24+WZ10
-----END PUBLIC KEY-----
)pem";

// Ed25519 (not RS256 nor ES256).
inline constexpr char kEd25519Public[] = R"pem(-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAFNDMNk2BKiq3VlX24dbm55lwu335Vp40t7sPHfeLq3M=
-----END PUBLIC KEY-----
)pem";

// EC P-384 private key (not ES256).
inline constexpr char kP384Private[] = R"pem(-----BEGIN PRIVATE KEY-----
MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDADBn01mGU0KIFUp4SC
XA4jEtIrKr3API8SyhzJjh2MtbvA70kh17JPh7TD5nm6//KhZANiAATi6oDBndcn
8ir2IGoyhTxA9j7ifP98fw1ZIdnGqvLEpqy2G5EIO5njvRcg5u/KXmGnJ5wRnIoF
04YERp5cucfyu/ioZtut76AtPEPZnvaG/TqhGG6WnizSRTI/bj5ZnXQ=
-----END PRIVATE KEY-----
)pem";

}  // namespace palermo::test_keys

#endif  // PALERMO_SERVICES_COMMON_TEST_KEYS_H_
