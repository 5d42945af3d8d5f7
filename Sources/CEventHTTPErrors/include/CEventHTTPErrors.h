#ifndef PAYSTACK_MOCK_CEVENTHTTP_ERRORS_H
#define PAYSTACK_MOCK_CEVENTHTTP_ERRORS_H

/*
 * This target defines libevent's `evhttp_send_error` in the executable, so that the errors
 * libevent answers by itself (malformed request: 400, body over the limit: 413, method not
 * allowed: 501) are JSON like every other answer instead of libevent's HTML page.
 * libevent 2.1 calls it through the PLT, so the dynamic linker binds those calls here.
 */
int cevent_http_errors_linked(void);

#endif
