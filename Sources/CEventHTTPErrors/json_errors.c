#include "CEventHTTPErrors.h"

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdatomic.h>

static _Atomic(cevent_unknown_method_handler) unknown_method_handler = NULL;
static __thread long thread_body_limit = -1;

int cevent_http_errors_linked(void) { return 1; }

void cevent_set_unknown_method_handler(cevent_unknown_method_handler handler) {
    atomic_store(&unknown_method_handler, handler);
}

void cevent_set_thread_body_limit(long limit) { thread_body_limit = limit; }

static int is_known_method(enum evhttp_cmd_type type) {
    switch (type) {
    case EVHTTP_REQ_GET: case EVHTTP_REQ_POST: case EVHTTP_REQ_HEAD: case EVHTTP_REQ_PUT:
    case EVHTTP_REQ_DELETE: case EVHTTP_REQ_OPTIONS: case EVHTTP_REQ_TRACE: case EVHTTP_REQ_CONNECT:
    case EVHTTP_REQ_PATCH:
        return 1;
    default:
        return 0;
    }
}

/* Replaces libevent's own (HTML) error page; like libevent's, it closes the connection. */
void evhttp_send_error(struct evhttp_request *req, int error, const char *reason) {
    cevent_unknown_method_handler handler = atomic_load(&unknown_method_handler);
    if (handler != NULL && evhttp_request_get_uri(req) != NULL && !is_known_method(evhttp_request_get_command(req))) {
        if (handler(req)) return;
    }
    struct evkeyvalq *headers = evhttp_request_get_output_headers(req);
    struct evbuffer *body = evbuffer_new();
    evhttp_add_header(headers, "Connection", "close");
    evhttp_add_header(headers, "Content-Type", "application/json");
    if (body != NULL) {
        switch (error) {
        case HTTP_BADREQUEST:
            evbuffer_add_printf(body, "{\"status\":false,\"message\":\"Bad request: the request could not be parsed\"}");
            break;
        case HTTP_ENTITYTOOLARGE:
            if (thread_body_limit >= 0) {
                evbuffer_add_printf(body, "{\"status\":false,\"message\":\"Request body is larger than the limit of %ld bytes\"}", thread_body_limit);
            } else {
                evbuffer_add_printf(body, "{\"status\":false,\"message\":\"Request body too large\"}");
            }
            break;
        case HTTP_NOTIMPLEMENTED:
            evbuffer_add_printf(body, "{\"status\":false,\"message\":\"Method not implemented\"}");
            break;
        default:
            evbuffer_add_printf(body, "{\"status\":false,\"message\":\"Request failed\"}");
        }
    }
    evhttp_send_reply(req, error, reason, body);
    if (body != NULL) evbuffer_free(body);
}
