#ifndef PAYSTACK_MOCK_CTLS_INTERNAL_H
#define PAYSTACK_MOCK_CTLS_INTERNAL_H
#include <stddef.h>
/* OpenSSL's last error (or `fallback` alone) into `error`; clears the error queue. */
void ctls_describe_error(const char *fallback, char *error, size_t error_size);
#endif
