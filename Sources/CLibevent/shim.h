#ifndef PAYSTACK_MOCK_CLIBEVENT_SHIM_H
#define PAYSTACK_MOCK_CLIBEVENT_SHIM_H

#include <sys/types.h>
#include <sys/time.h>
#include <sys/select.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/dns.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>
#include <event2/thread.h>
#include <event2/util.h>

/* TAILQ macros do not cross into Swift: walk a header list with these. */
static inline struct evkeyval *cshim_headers_first(struct evkeyvalq *headers) {
    return headers->tqh_first;
}
static inline struct evkeyval *cshim_headers_next(struct evkeyval *header) {
    return header->next.tqe_next;
}

#endif
