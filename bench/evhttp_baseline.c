/*
 * The benchmark's baseline: a minimal C server on libevent's evhttp that answers every request
 * with one fixed JSON body, built like paystack-mock's HTTP layer (one shared listening socket,
 * one event base per thread and without a lock, TCP_NODELAY) so the ratio measures what the Swift
 * layers add. It sends the same header fields as paystack-mock's answers (Content-Type,
 * Access-Control-Allow-Origin; libevent adds Date and Content-Length to both), so both servers
 * write the same bytes. It has no connection timeout (paystack-mock has a read timeout).
 *
 * With "changelist", its bases also use libevent's epoll change list, as paystack-mock's do: the
 * bench's second reference, a C server tuned like ours (the first is libevent's defaults).
 *
 *   evhttp-baseline PORT WORKERS BODY_FILE [changelist]
 */
#include <arpa/inet.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>
#include <event2/thread.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static char *body;
static size_t body_length;
static int listen_fd;
static int use_changelist;

static void on_request(struct evhttp_request *req, void *arg) {
    (void)arg;
    /* Read the body as a real handler would (creates send one). */
    struct evbuffer *input = evhttp_request_get_input_buffer(req);
    evbuffer_drain(input, evbuffer_get_length(input));
    struct evkeyvalq *headers = evhttp_request_get_output_headers(req);
    evhttp_add_header(headers, "Content-Type", "application/json");
    evhttp_add_header(headers, "Access-Control-Allow-Origin", "*");
    evbuffer_add(evhttp_request_get_output_buffer(req), body, body_length);
    /* must eventually call evhttp_send_reply */
    evhttp_send_reply(req, 200, "OK", NULL);
}

static void *run_loop(void *arg) {
    (void)arg;
    /* Each base is used by its own thread only: no lock, as paystack-mock's loops. */
    struct event_config *config = event_config_new();
    event_config_set_flag(config, EVENT_BASE_FLAG_NOLOCK);
    if (use_changelist)
        event_config_set_flag(config, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST);
    struct event_base *base = event_base_new_with_config(config);
    event_config_free(config);
    struct evhttp *http = evhttp_new(base);
    evhttp_set_gencb(http, on_request, NULL);
    evhttp_set_allowed_methods(http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_PUT);
    /* Every loop accepts on the one listening socket, which stays open (no dup() per loop: the
       change list must not see a duplicated descriptor). */
    struct evconnlistener *listener = evconnlistener_new(base, NULL, NULL, LEV_OPT_CLOSE_ON_EXEC, 0, listen_fd);
    if (!listener || !evhttp_bind_listener(http, listener)) {
        fprintf(stderr, "evconnlistener_new/evhttp_bind_listener failed\n");
        exit(1);
    }
    event_base_dispatch(base);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 4 && !(argc == 5 && strcmp(argv[4], "changelist") == 0)) {
        fprintf(stderr, "usage: %s PORT WORKERS BODY_FILE [changelist]\n", argv[0]);
        return 2;
    }
    use_changelist = argc == 5;
    FILE *file = fopen(argv[3], "rb");
    if (!file) { perror("body file"); return 1; }
    fseek(file, 0, SEEK_END);
    body_length = (size_t)ftell(file);
    fseek(file, 0, SEEK_SET);
    body = malloc(body_length);
    if (fread(body, 1, body_length, file) != body_length) { perror("read"); return 1; }
    fclose(file);

    signal(SIGPIPE, SIG_IGN);
    evthread_use_pthreads();
    listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(listen_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in address = {0};
    address.sin_family = AF_INET;
    address.sin_port = htons((unsigned short)atoi(argv[1]));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listen_fd, (struct sockaddr *)&address, sizeof address) != 0) { perror("bind"); return 1; }
    if (listen(listen_fd, 1024) != 0) { perror("listen"); return 1; }
    evutil_make_socket_nonblocking(listen_fd);

    int workers = atoi(argv[2]);
    pthread_t threads[64];
    for (int i = 0; i < workers && i < 64; i++) pthread_create(&threads[i], NULL, run_loop, NULL);
    printf("evhttp-baseline listening on http://127.0.0.1:%s\n", argv[1]);
    fflush(stdout);
    for (int i = 0; i < workers && i < 64; i++) pthread_join(threads[i], NULL);
    return 0;
}
