#ifndef PAYSTACK_MOCK_CEVENTHTTP_ERRORS_H
#define PAYSTACK_MOCK_CEVENTHTTP_ERRORS_H

struct evhttp_request;

/*
 * This target defines libevent's `evhttp_send_error` in the executable, so that the errors
 * libevent answers by itself (malformed request: 400, body over the limit: 413, unknown method:
 * 400/501) are JSON like every other answer instead of libevent's HTML page.
 * libevent 2.1 calls it through the PLT, so the dynamic linker binds those calls here.
 */
int cevent_http_errors_linked(void);

/*
 * Called instead of an error answer for a request whose method libevent does not know (e.g.
 * QUERY) but whose target parsed, so that the server can answer 405 with the path's `Allow`.
 * Returns nonzero when it has answered the request. Set once, before any loop runs.
 */
typedef int (*cevent_unknown_method_handler)(struct evhttp_request *req);
void cevent_set_unknown_method_handler(cevent_unknown_method_handler handler);

/* The thread's request body limit, for the 413 message. */
void cevent_set_thread_body_limit(long limit);

#endif
