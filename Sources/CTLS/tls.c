#include "CTLS.h"
#include "internal.h"

#include <arpa/inet.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/dns.h>
#include <event2/event.h>
#include <event2/http.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *ctls_server_context_new(const char *chain_path, const char *key_path, char *error, size_t error_size) {
    SSL_CTX *context = SSL_CTX_new(TLS_server_method());
    if (context == NULL) {
        ctls_describe_error("cannot create a TLS context", error, error_size);
        return NULL;
    }
    SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
    SSL_CTX_set_max_proto_version(context, TLS1_3_VERSION);
    SSL_CTX_set_options(context, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    if (SSL_CTX_use_certificate_chain_file(context, chain_path) != 1) {
        ctls_describe_error("cannot read the certificate chain", error, error_size);
        SSL_CTX_free(context);
        return NULL;
    }
    if (SSL_CTX_use_PrivateKey_file(context, key_path, SSL_FILETYPE_PEM) != 1 || SSL_CTX_check_private_key(context) != 1) {
        ctls_describe_error("cannot use the private key (or it does not match the certificate)", error, error_size);
        SSL_CTX_free(context);
        return NULL;
    }
    return context;
}

void ctls_context_free(void *context) {
    SSL_CTX_free(context);
}

/* A TLS bufferevent for a socket evhttp accepted. Returning NULL would make evhttp serve plain HTTP
 * on the TLS port, so a failure (memory exhausted) ends the process instead. */
struct bufferevent *ctls_accepting_bufferevent(struct event_base *base, void *context) {
    SSL *ssl = SSL_new(context);
    struct bufferevent *bev = ssl == NULL ? NULL
        : bufferevent_openssl_socket_new(base, -1, ssl, BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
    if (bev == NULL) {
        fprintf(stderr, "paystack-mock: cannot set up TLS for a connection (out of memory)\n");
        abort();
    }
    return bev;
}

void *ctls_client_context_new(const char *extra_ca_path, int insecure, char *error, size_t error_size) {
    SSL_CTX *context = SSL_CTX_new(TLS_client_method());
    if (context == NULL) {
        ctls_describe_error("cannot create a TLS context", error, error_size);
        return NULL;
    }
    SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
    /* Receivers that close without close_notify: their answer is complete (evhttp frames it). */
    SSL_CTX_set_options(context, SSL_OP_IGNORE_UNEXPECTED_EOF | SSL_OP_NO_RENEGOTIATION);
    if (SSL_CTX_set_default_verify_paths(context) != 1) ERR_clear_error();
    if (extra_ca_path != NULL && SSL_CTX_load_verify_locations(context, extra_ca_path, NULL) != 1) {
        ctls_describe_error("cannot read the CA file", error, error_size);
        SSL_CTX_free(context);
        return NULL;
    }
    SSL_CTX_set_verify(context, insecure ? SSL_VERIFY_NONE : SSL_VERIFY_PEER, NULL);
    return context;
}

struct evhttp_connection *ctls_connection_new(
    struct event_base *base, struct evdns_base *dns, void *context, const char *host, unsigned short port) {
    SSL *ssl = SSL_new(context);
    if (ssl == NULL) return NULL;
    unsigned char address[16];
    int is_address = inet_pton(AF_INET, host, address) == 1 || inet_pton(AF_INET6, host, address) == 1;
    if (SSL_CTX_get_verify_mode(context) != SSL_VERIFY_NONE) {
        X509_VERIFY_PARAM *parameters = SSL_get0_param(ssl);
        X509_VERIFY_PARAM_set_hostflags(parameters, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        int ok = is_address ? X509_VERIFY_PARAM_set1_ip_asc(parameters, host) : SSL_set1_host(ssl, host);
        if (ok != 1) {
            SSL_free(ssl);
            return NULL;
        }
    }
    /* Server Name Indication takes names, never addresses. */
    if (!is_address) SSL_set_tlsext_host_name(ssl, host);
    struct bufferevent *bev = bufferevent_openssl_socket_new(base, -1, ssl, BUFFEREVENT_SSL_CONNECTING, BEV_OPT_CLOSE_ON_FREE);
    if (bev == NULL) {
        SSL_free(ssl);
        return NULL;
    }
    bufferevent_openssl_set_allow_dirty_shutdown(bev, 1);
    struct evhttp_connection *connection = evhttp_connection_base_bufferevent_new(base, dns, bev, host, port);
    if (connection == NULL) bufferevent_free(bev);
    return connection;
}

void ctls_connection_failure(struct evhttp_connection *connection, char *reason, size_t reason_size) {
    if (reason_size == 0) return;
    reason[0] = '\0';
    struct bufferevent *bev = evhttp_connection_get_bufferevent(connection);
    SSL *ssl = bev == NULL ? NULL : bufferevent_openssl_get_ssl(bev);
    if (ssl == NULL) return;
    long verified = SSL_get_verify_result(ssl);
    if (verified != X509_V_OK) {
        snprintf(reason, reason_size, "%s", X509_verify_cert_error_string(verified));
        return;
    }
    unsigned long code = bufferevent_get_openssl_error(bev);
    if (code != 0) {
        const char *text = ERR_reason_error_string(code);
        snprintf(reason, reason_size, "TLS: %s", text != NULL ? text : "handshake failed");
    }
}

void *ctls_blocking_client_new(int fd, const char *ca_path, const char *server_name, char *error, size_t error_size) {
    SSL_CTX *context = SSL_CTX_new(TLS_client_method());
    if (context == NULL || SSL_CTX_load_verify_locations(context, ca_path, NULL) != 1) {
        ctls_describe_error("cannot set up the client", error, error_size);
        SSL_CTX_free(context);
        return NULL;
    }
    SSL_CTX_set_verify(context, SSL_VERIFY_PEER, NULL);
    SSL_CTX_set_options(context, SSL_OP_IGNORE_UNEXPECTED_EOF);
    SSL *ssl = SSL_new(context);
    SSL_CTX_free(context); /* the SSL keeps its own reference */
    if (ssl == NULL) return NULL;
    unsigned char address[16];
    int is_address = inet_pton(AF_INET, server_name, address) == 1 || inet_pton(AF_INET6, server_name, address) == 1;
    if (is_address) {
        X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), server_name);
    } else {
        SSL_set_tlsext_host_name(ssl, server_name);
        SSL_set1_host(ssl, server_name);
    }
    SSL_set_fd(ssl, fd);
    if (SSL_connect(ssl) != 1) {
        long verified = SSL_get_verify_result(ssl);
        if (verified != X509_V_OK) {
            snprintf(error, error_size, "%s", X509_verify_cert_error_string(verified));
        } else {
            ctls_describe_error("handshake failed", error, error_size);
        }
        SSL_free(ssl);
        return NULL;
    }
    return ssl;
}

long ctls_blocking_read(void *client, void *buffer, size_t size) {
    size_t count = 0;
    int status = SSL_read_ex(client, buffer, size, &count);
    if (status == 1) return (long)count;
    return SSL_get_error(client, status) == SSL_ERROR_ZERO_RETURN ? 0 : -1;
}

long ctls_blocking_write(void *client, const void *buffer, size_t size) {
    size_t count = 0;
    return SSL_write_ex(client, buffer, size, &count) == 1 ? (long)count : -1;
}

void ctls_blocking_free(void *client) {
    SSL_shutdown(client);
    SSL_free(client);
}
