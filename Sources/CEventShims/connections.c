#include "CEventShims.h"

#include <stdlib.h>

#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>

/*
 * Without a bufferevent callback, evhttp makes each accepted connection's bufferevent itself, and
 * `evhttp_set_timeout` gives it the same timeout for reading and for writing. Every request then
 * arms the write timer when the answer starts and removes it when the answer is out, besides
 * re-arming the read timer. The write timer's share, counted by callgrind (bench/instructions.py):
 * about 560 instructions a fetch, 350 a create, 870 a list. evhttp keeps reading enabled while it
 * writes (to notice a client that closes), so a read timeout alone still closes a connection
 * whose client neither sends nor reads.
 */
struct cevent_connection_setup {
    struct timeval read_timeout;
    cevent_make_bufferevent make;
    void *make_context;
};

static struct bufferevent *make_connection(struct event_base *base, void *arg) {
    struct cevent_connection_setup *setup = arg;
    /* Flags 0, as evhttp's own (it closes the socket itself). */
    struct bufferevent *bev = setup->make != NULL ? setup->make(base, setup->make_context)
                                                  : bufferevent_socket_new(base, -1, 0);
    if (bev != NULL) bufferevent_set_timeouts(bev, &setup->read_timeout, NULL);
    return bev;
}

struct cevent_connection_setup *cevent_serve_with_read_timeout(
    struct evhttp *http, int seconds, cevent_make_bufferevent make, void *make_context) {
    struct cevent_connection_setup *setup = calloc(1, sizeof *setup);
    if (setup == NULL) return NULL;
    setup->read_timeout.tv_sec = seconds;
    setup->make = make;
    setup->make_context = make_context;
    evhttp_set_bevcb(http, make_connection, setup);
    return setup;
}

void cevent_connection_setup_free(struct cevent_connection_setup *setup) {
    free(setup);
}

void cevent_connection_stream_timeout(struct evhttp_connection *connection, int seconds) {
    struct timeval write_timeout = {.tv_sec = seconds, .tv_usec = 0};
    bufferevent_set_timeouts(evhttp_connection_get_bufferevent(connection), NULL, &write_timeout);
}

void cevent_connection_resume_timeout(struct evhttp_connection *connection, int seconds) {
    struct timeval read_timeout = {.tv_sec = seconds, .tv_usec = 0};
    bufferevent_set_timeouts(evhttp_connection_get_bufferevent(connection), &read_timeout, NULL);
}
