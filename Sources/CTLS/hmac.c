#include "CTLS.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

int ctls_hmac_sha512_hex(const void *key, size_t key_length, const void *data, size_t length, char *hex) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_length = 0;
    if (HMAC(EVP_sha512(), key, (int)key_length, data, length, digest, &digest_length) == NULL || digest_length != 64) {
        return -1;
    }
    static const char digits[] = "0123456789abcdef";
    for (unsigned int i = 0; i < digest_length; i++) {
        hex[2 * i] = digits[digest[i] >> 4];
        hex[2 * i + 1] = digits[digest[i] & 0x0f];
    }
    hex[2 * digest_length] = '\0';
    return 0;
}
