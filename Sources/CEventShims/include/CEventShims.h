#ifndef PAYSTACK_MOCK_CEVENTSHIMS_H
#define PAYSTACK_MOCK_CEVENTSHIMS_H

struct evhttp_request;

/*
 * libevent 2.1 answers some requests by itself, before any callback of ours: a request it cannot
 * parse (400), a body over the limit (413), a method it does not know (501). It does so through
 * `evhttp_send_error`, which writes an HTML page. 2.1 has no hook for that (`evhttp_set_errorcb`
 * came in 2.2), so this target defines `evhttp_send_error` in the executable, where the dynamic
 * linker binds libevent's own calls (through its PLT): the answer is then rendered by the loop
 * that owns the connection, through the handler it registered for its thread.
 */

/* Answers `req` with the failure `error` (an HTTP status); nonzero when it has sent a reply. */
typedef int (*cevent_error_handler)(void *context, struct evhttp_request *req, int error);

/* Registers the handler of the calling thread's event loop (libevent calls back on that thread). */
void cevent_set_thread_error_handler(cevent_error_handler handler, void *context);

/* The context registered with the handler on the calling thread (its loop), or NULL: for libevent
 * callbacks whose own argument is not ours (a listener's error callback gets its evhttp's). */
void *cevent_thread_context(void);

/* Whether libevent knows the request's method (2.1 lets unknown methods through as type 0). */
int cevent_request_has_known_method(struct evhttp_request *req);

/* Whether the definition above is the one the process uses (a test checks the linking). */
int cevent_error_handler_linked(void);

/* --- Connection timeouts ------------------------------------------------------------------------ */

struct bufferevent;
struct event_base;
struct evhttp;
struct evhttp_connection;
struct cevent_connection_setup;

/* Makes the bufferevent of a connection just accepted (a TLS one, for instance). */
typedef struct bufferevent *(*cevent_make_bufferevent)(struct event_base *base, void *context);

/* Gives each connection `http` accepts a read timeout of `seconds` and no write timeout (see
 * connections.c), with its bufferevent from `make` (a plain socket one when NULL). Free the result
 * with `cevent_connection_setup_free` after `http`. NULL when memory is exhausted. */
struct cevent_connection_setup *cevent_serve_with_read_timeout(
    struct evhttp *http, int seconds, cevent_make_bufferevent make, void *make_context);
void cevent_connection_setup_free(struct cevent_connection_setup *setup);

/* A connection that streams an answer has no read timeout while it does (its client sends nothing),
 * but a write timeout of `seconds`: libevent arms it only while output waits, so a client that
 * stops reading is closed instead of piling up events. When the stream ends, the connection gets
 * its read timeout of `seconds` back, and no write timeout. */
void cevent_connection_stream_timeout(struct evhttp_connection *connection, int seconds);
void cevent_connection_resume_timeout(struct evhttp_connection *connection, int seconds);

/* --- Wake-ups ----------------------------------------------------------------------------------- */

/* An eventfd (non-blocking, close-on-exec) for waking a loop from other threads; -1 with errno. */
int cevent_wake_descriptor_new(void);
/* Makes `descriptor` readable (from any thread). */
void cevent_wake(int descriptor);
/* Reads the wake-ups away (on the loop's thread). */
void cevent_wake_drain(int descriptor);

#endif
