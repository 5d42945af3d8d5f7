#ifndef PAYSTACK_MOCK_CTLS_H
#define PAYSTACK_MOCK_CTLS_H

#include <stddef.h>

/*
 * OpenSSL for the mock, behind plain functions: much of OpenSSL's API is macros Swift cannot
 * import (SSL_set_tlsext_host_name, SSL_CTX_set_min_proto_version, ...). Only opaque pointers
 * cross into Swift.
 */

/* HMAC-SHA512 of `data` keyed with `key`, written as 128 lowercase hex digits and a NUL into
 * `hex` (129 bytes). Returns 0 on success. (Paystack's x-paystack-signature.) */
int ctls_hmac_sha512_hex(const void *key, size_t key_length, const void *data, size_t length, char *hex);

#endif
