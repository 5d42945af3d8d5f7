#ifndef PAYSTACK_MOCK_CTLS_H
#define PAYSTACK_MOCK_CTLS_H

#include <stddef.h>
#include <stdint.h>

/*
 * OpenSSL for the mock, behind plain functions: much of OpenSSL's API is macros Swift cannot
 * import (SSL_set_tlsext_host_name, SSL_CTX_set_min_proto_version, ...). Only opaque pointers
 * cross into Swift. Every function that can fail writes OpenSSL's reason into `error` (`error_size`
 * bytes) and returns NULL or nonzero.
 */

struct bufferevent;
struct evhttp;
struct evhttp_connection;
struct event_base;
struct evdns_base;
struct evhttp_request;

/* HMAC-SHA512 of `data` keyed with `key`, written as 128 lowercase hex digits and a NUL into
 * `hex` (129 bytes). Returns 0 on success. (Paystack's x-paystack-signature.) */
int ctls_hmac_sha512_hex(const void *key, size_t key_length, const void *data, size_t length, char *hex);

/* --- Certificates ------------------------------------------------------------------------------ */

/* Writes a new EC P-256 CA (10 years; basic constraints CA, key usage keyCertSign and cRLSign,
 * subject key identifier) to `cert_path` and `key_path` (the key mode 0600). Returns 0 on success. */
int ctls_make_ca(const char *cert_path, const char *key_path, const char *common_name, char *error, size_t error_size);

/* Writes a new EC P-256 server certificate signed by the CA in `ca_cert_path`/`ca_key_path`, valid
 * `days` days, for `name_count` names (DNS names, or IPv4/IPv6 addresses), with key usage
 * digitalSignature, extended key usage serverAuth, basic constraints not CA and both key
 * identifiers: what Python's VERIFY_X509_STRICT and Go ask for. `chain_path` gets the certificate
 * followed by the CA's. Returns 0 on success. */
int ctls_make_server_certificate(
    const char *ca_cert_path, const char *ca_key_path, const char *const *names, int name_count, int days,
    const char *chain_path, const char *key_path, char *error, size_t error_size);

/* Seconds since the epoch at which the first certificate of `path` expires; -1 when unreadable. */
int64_t ctls_certificate_not_after(const char *path);

/* --- Server ------------------------------------------------------------------------------------- */

/* A server context for a PEM chain (certificate first, then intermediates) and its key: TLS 1.2 and
 * 1.3 only, no renegotiation, no ALPN (HTTP/1.1). Shared read-only by every loop. */
void *ctls_server_context_new(const char *chain_path, const char *key_path, char *error, size_t error_size);
void ctls_context_free(void *context);

/* The bufferevent of a socket just accepted on the TLS port (`context`: a server context), for
 * evhttp's bufferevent callback. */
struct bufferevent *ctls_accepting_bufferevent(struct event_base *base, void *context);

/* --- Client (webhook deliveries) ---------------------------------------------------------------- */

/* A client context: the system's CA store, plus `extra_ca_path` when not NULL; `insecure` turns
 * verification off. A receiver that closes without close_notify is not an error. */
void *ctls_client_context_new(const char *extra_ca_path, int insecure, char *error, size_t error_size);

/* A connection to `host`:`port` over TLS: SNI for names, and the certificate checked against the
 * name or address (unless the context is insecure). */
struct evhttp_connection *ctls_connection_new(
    struct event_base *base, struct evdns_base *dns, void *context, const char *host, unsigned short port);

/* Why a TLS connection failed, for the delivery log: the verification error (e.g. "hostname
 * mismatch", "self-signed certificate in certificate chain") or OpenSSL's last error. Empty when
 * there is nothing TLS to say. */
void ctls_connection_failure(struct evhttp_connection *connection, char *reason, size_t reason_size);

#endif

/* --- A blocking client, for tests ---------------------------------------------------------------- */

/* TLS over the connected socket `fd`, verifying against `ca_path` and `server_name` (a name or an
 * address); NULL on failure, with the reason in `error`. */
void *ctls_blocking_client_new(int fd, const char *ca_path, const char *server_name, char *error, size_t error_size);
/* Like read(2) and write(2); -1 on failure. */
long ctls_blocking_read(void *client, void *buffer, size_t size);
long ctls_blocking_write(void *client, const void *buffer, size_t size);
void ctls_blocking_free(void *client);
