#include "CEventHTTPErrors.h"

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

int cevent_http_errors_linked(void) { return 1; }

static const char *json_error_message(int status) {
    switch (status) {
    case HTTP_BADREQUEST: return "Bad request: the request could not be parsed";
    case 413: return "Request body too large";
    case HTTP_NOTIMPLEMENTED: return "Method not implemented";
    case HTTP_NOTFOUND: return "Route not found";
    default: return "Request failed";
    }
}

/* Replaces libevent's own (HTML) error page; like libevent's, it closes the connection. */
void evhttp_send_error(struct evhttp_request *req, int error, const char *reason) {
    struct evkeyvalq *headers = evhttp_request_get_output_headers(req);
    struct evbuffer *body = evbuffer_new();
    evhttp_add_header(headers, "Connection", "close");
    evhttp_add_header(headers, "Content-Type", "application/json");
    if (body != NULL) {
        evbuffer_add_printf(body, "{\"status\":false,\"message\":\"%s\"}", json_error_message(error));
    }
    evhttp_send_reply(req, error, reason, body);
    if (body != NULL) evbuffer_free(body);
}
