#include "CEventShims.h"

#include <event2/http.h>

#include <event2/buffer.h>
#include <event2/http_struct.h>
#include <event2/keyvalq_struct.h>

static __thread cevent_error_handler thread_handler = NULL;
static __thread void *thread_context = NULL;

void cevent_set_thread_error_handler(cevent_error_handler handler, void *context) {
    thread_handler = handler;
    thread_context = context;
}

void *cevent_thread_context(void) { return thread_context; }

int cevent_error_handler_linked(void) { return 1; }

int cevent_request_has_known_method(struct evhttp_request *req) {
    switch (evhttp_request_get_command(req)) {
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
    /* A request line that did not parse leaves the version at 0.0, and libevent would answer
     * "HTTP/0.0 400", which no HTTP/1.x client accepts: answer as HTTP/1.1 (as nginx does). */
    if (req->major == 0) {
        req->major = 1;
        req->minor = 1;
    }
    evhttp_add_header(evhttp_request_get_output_headers(req), "Connection", "close");
    if (thread_handler != NULL && thread_handler(thread_context, req, error)) return;
    evhttp_send_reply(req, error, reason, NULL);
}
