#include "CTLS.h"
#include "internal.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* OpenSSL's last error (or `fallback`) into `error`. */
void ctls_describe_error(const char *fallback, char *error, size_t error_size) {
    unsigned long code = ERR_peek_last_error();
    if (error == NULL || error_size == 0) return;
    if (code != 0) {
        char text[256];
        ERR_error_string_n(code, text, sizeof text);
        snprintf(error, error_size, "%s: %s", fallback, text);
    } else {
        snprintf(error, error_size, "%s", fallback);
    }
    ERR_clear_error();
}

static EVP_PKEY *new_ec_key(void) {
    return EVP_EC_gen("P-256");
}

static int add_extension(X509 *cert, X509 *issuer, int nid, const char *value) {
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, issuer, cert, NULL, NULL, 0);
    X509_EXTENSION *extension = X509V3_EXT_conf_nid(NULL, &context, nid, value);
    if (extension == NULL) return 0;
    int ok = X509_add_ext(cert, extension, -1);
    X509_EXTENSION_free(extension);
    return ok;
}

static int random_serial(X509 *cert) {
    BIGNUM *number = BN_new();
    int ok = number != NULL && BN_rand(number, 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY)
        && BN_to_ASN1_INTEGER(number, X509_get_serialNumber(cert)) != NULL;
    BN_free(number);
    return ok;
}

static int write_key(EVP_PKEY *key, const char *path) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return 0;
    FILE *file = fdopen(fd, "w");
    if (file == NULL) { close(fd); return 0; }
    int ok = PEM_write_PrivateKey(file, key, NULL, NULL, 0, NULL, NULL);
    return fclose(file) == 0 && ok;
}

static int append_certificate(X509 *cert, const char *path, const char *mode) {
    FILE *file = fopen(path, mode);
    if (file == NULL) return 0;
    int ok = PEM_write_X509(file, cert);
    return fclose(file) == 0 && ok;
}

static X509 *read_certificate(const char *path) {
    FILE *file = fopen(path, "r");
    if (file == NULL) return NULL;
    X509 *cert = PEM_read_X509(file, NULL, NULL, NULL);
    fclose(file);
    return cert;
}

static EVP_PKEY *read_key(const char *path) {
    FILE *file = fopen(path, "r");
    if (file == NULL) return NULL;
    EVP_PKEY *key = PEM_read_PrivateKey(file, NULL, NULL, NULL);
    fclose(file);
    return key;
}

int ctls_make_ca(const char *cert_path, const char *key_path, const char *common_name, char *error, size_t error_size) {
    EVP_PKEY *key = new_ec_key();
    X509 *cert = X509_new();
    int ok = key != NULL && cert != NULL && X509_set_version(cert, 2) && random_serial(cert)
        && X509_gmtime_adj(X509_getm_notBefore(cert), -3600) && X509_gmtime_adj(X509_getm_notAfter(cert), 3650L * 86400)
        && X509_set_pubkey(cert, key);
    if (ok) {
        X509_NAME *name = X509_get_subject_name(cert);
        ok = X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, (const unsigned char *)"paystack-mock", -1, -1, 0)
            && X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)common_name, -1, -1, 0)
            && X509_set_issuer_name(cert, name)
            && add_extension(cert, cert, NID_basic_constraints, "critical,CA:TRUE,pathlen:0")
            && add_extension(cert, cert, NID_key_usage, "critical,keyCertSign,cRLSign")
            && add_extension(cert, cert, NID_subject_key_identifier, "hash")
            && add_extension(cert, cert, NID_authority_key_identifier, "keyid:always")
            && X509_sign(cert, key, EVP_sha256()) > 0
            && write_key(key, key_path) && append_certificate(cert, cert_path, "w");
    }
    if (!ok) ctls_describe_error("cannot make the CA", error, error_size);
    X509_free(cert);
    EVP_PKEY_free(key);
    return ok ? 0 : -1;
}

int ctls_make_server_certificate(
    const char *ca_cert_path, const char *ca_key_path, const char *const *names, int name_count, int days,
    const char *chain_path, const char *key_path, char *error, size_t error_size) {
    X509 *ca = read_certificate(ca_cert_path);
    EVP_PKEY *ca_key = read_key(ca_key_path);
    EVP_PKEY *key = new_ec_key();
    X509 *cert = X509_new();
    int ok = ca != NULL && ca_key != NULL && key != NULL && cert != NULL && name_count > 0
        && X509_set_version(cert, 2) && random_serial(cert)
        && X509_gmtime_adj(X509_getm_notBefore(cert), -3600) && X509_gmtime_adj(X509_getm_notAfter(cert), (long)days * 86400)
        && X509_set_pubkey(cert, key) && X509_set_issuer_name(cert, X509_get_subject_name(ca));
    if (ok) {
        X509_NAME *subject = X509_get_subject_name(cert);
        ok = X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8, (const unsigned char *)names[0], -1, -1, 0);
    }
    if (ok) {
        /* subjectAltName: DNS:name or IP:address, comma-separated. */
        size_t size = 1;
        for (int i = 0; i < name_count; i++) size += strlen(names[i]) + 5;
        char *alternatives = OPENSSL_zalloc(size);
        ok = alternatives != NULL;
        for (int i = 0; ok && i < name_count; i++) {
            unsigned char address[16];
            int is_address = inet_pton(AF_INET, names[i], address) == 1 || inet_pton(AF_INET6, names[i], address) == 1;
            if (i > 0) strcat(alternatives, ",");
            strcat(alternatives, is_address ? "IP:" : "DNS:");
            strcat(alternatives, names[i]);
        }
        ok = ok && add_extension(cert, ca, NID_subject_alt_name, alternatives)
            && add_extension(cert, ca, NID_basic_constraints, "critical,CA:FALSE")
            && add_extension(cert, ca, NID_key_usage, "critical,digitalSignature")
            && add_extension(cert, ca, NID_ext_key_usage, "serverAuth")
            && add_extension(cert, ca, NID_subject_key_identifier, "hash")
            && add_extension(cert, ca, NID_authority_key_identifier, "keyid:always")
            && X509_sign(cert, ca_key, EVP_sha256()) > 0
            && write_key(key, key_path) && append_certificate(cert, chain_path, "w") && append_certificate(ca, chain_path, "a");
        OPENSSL_free(alternatives);
    }
    if (!ok) ctls_describe_error("cannot make the server certificate", error, error_size);
    X509_free(cert);
    EVP_PKEY_free(key);
    EVP_PKEY_free(ca_key);
    X509_free(ca);
    return ok ? 0 : -1;
}

int64_t ctls_certificate_not_after(const char *path) {
    X509 *cert = read_certificate(path);
    if (cert == NULL) return -1;
    struct tm moment;
    int64_t result = -1;
    if (ASN1_TIME_to_tm(X509_get0_notAfter(cert), &moment)) result = (int64_t)timegm(&moment);
    X509_free(cert);
    return result;
}
