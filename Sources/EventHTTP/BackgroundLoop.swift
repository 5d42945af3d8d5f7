import CLibevent
import Platform
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One event loop on a thread of its own for work that is not answering a request: timers, and
/// outgoing HTTP requests through libevent's client. Nothing on it blocks: a slow or silent peer
/// costs a pending connection, never a thread, and never delays the request loops.
///
/// `schedule` and `post` may be called from any thread (libevent locks the base once
/// `evthread_use_pthreads` has run, and wakes the loop).
public final class BackgroundLoop: @unchecked Sendable {
    private let base: OpaquePointer
    /// Resolves host names without blocking the loop (nil when no resolver could be set up; the
    /// client then resolves with getaddrinfo).
    private let dns: OpaquePointer?
    private var thread = pthread_t()
    /// The thread starts with the first scheduled work, so a loop never used costs no thread.
    private let started = Atomic<Bool>(false)

    public init() {
        evthread_use_pthreads()
        base = event_base_new()
        dns = evdns_base_new(base, Int32(EVDNS_BASE_INITIALIZE_NAMESERVERS))
    }

    deinit {
        // Only reached when the thread never started (a running thread holds a reference).
        if let dns { evdns_base_free(dns, 0) }
        event_base_free(base)
    }

    private func startIfNeeded() {
        guard started.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        let context = Unmanaged.passRetained(self).toOpaque()
        pthread_create(&thread, nil, { context in
            let loop = Unmanaged<BackgroundLoop>.fromOpaque(context!).takeUnretainedValue()
            event_base_loop(loop.base, Int32(EVLOOP_NO_EXIT_ON_EMPTY))
            return nil
        }, context)
    }

    /// Runs `work` on the loop after `milliseconds`.
    public func schedule(afterMilliseconds milliseconds: Int, _ work: @escaping @Sendable () -> Void) {
        startIfNeeded()
        let box = Unmanaged.passRetained(WorkBox(work)).toOpaque()
        let delay = max(0, milliseconds)
        var wait = timeval(tv_sec: delay / 1000, tv_usec: Int((delay % 1000) * 1000))
        if event_base_once(base, -1, Int16(EV_TIMEOUT), { _, _, context in
            Unmanaged<WorkBox>.fromOpaque(context!).takeRetainedValue().work()
        }, box, &wait) != 0 {
            Unmanaged<WorkBox>.fromOpaque(box).release()
        }
    }

    /// What became of an outgoing request: the peer's status, or why there is none.
    public enum Outcome: Sendable, Equatable {
        case status(Int)
        case failed(String)
    }

    /// POSTs `body` to an `http://` URL; `completion` runs on the loop with the outcome.
    public func post(
        url: String, headers: [(String, String)], body: [UInt8], timeoutMilliseconds: Int,
        completion: @escaping @Sendable (Outcome) -> Void
    ) {
        schedule(afterMilliseconds: 0) { [self] in
            startPost(url: url, headers: headers, body: body, timeoutMilliseconds: timeoutMilliseconds, completion: completion)
        }
    }

    private func startPost(
        url: String, headers: [(String, String)], body: [UInt8], timeoutMilliseconds: Int,
        completion: @escaping @Sendable (Outcome) -> Void
    ) {
        guard let uri = evhttp_uri_parse(url) else { return completion(.failed("not a valid URL")) }
        defer { evhttp_uri_free(uri) }
        guard let scheme = evhttp_uri_get_scheme(uri).map({ String(cString: $0).lowercased() }), scheme == "http" else {
            return completion(.failed("only http:// URLs can be delivered (the mock has no TLS client)"))
        }
        guard let hostPointer = evhttp_uri_get_host(uri) else { return completion(.failed("the URL has no host")) }
        let host = String(cString: hostPointer)
        let givenPort = evhttp_uri_get_port(uri)
        let port = givenPort > 0 ? givenPort : 80
        var target = evhttp_uri_get_path(uri).map { String(cString: $0) } ?? "/"
        if target.isEmpty { target = "/" }
        if let query = evhttp_uri_get_query(uri) { target += "?" + String(cString: query) }

        guard let connection = evhttp_connection_base_new(base, dns, host, UInt16(port)) else {
            return completion(.failed("cannot open a connection to \(host):\(port)"))
        }
        var timeout = timeval(tv_sec: timeoutMilliseconds / 1000, tv_usec: Int((timeoutMilliseconds % 1000) * 1000))
        evhttp_connection_set_timeout_tv(connection, &timeout)
        evhttp_connection_free_on_completion(connection)

        let exchange = Exchange(completion: completion)
        let context = Unmanaged.passRetained(exchange).toOpaque()
        guard let request = evhttp_request_new({ request, context in
            let exchange = Unmanaged<Exchange>.fromOpaque(context!).takeRetainedValue()
            let code = request.map { Int(evhttp_request_get_response_code($0)) } ?? 0
            if code > 0 {
                exchange.completion(.status(code))
            } else {
                exchange.completion(.failed(exchange.error ?? "connection failed"))
            }
        }, context) else {
            Unmanaged<Exchange>.fromOpaque(context).release()
            evhttp_connection_free(connection)
            return completion(.failed("cannot create the request"))
        }
        evhttp_request_set_error_cb(request) { error, context in
            let exchange = Unmanaged<Exchange>.fromOpaque(context!).takeUnretainedValue()
            exchange.error = describe(error)
        }
        let output = evhttp_request_get_output_headers(request)
        let hostHeader = givenPort > 0 ? "\(host.contains(":") ? "[\(host)]" : host):\(port)" : host
        evhttp_add_header(output, "Host", hostHeader)
        for (name, value) in headers { evhttp_add_header(output, name, value) }
        evhttp_add_header(output, "Content-Length", String(body.count))
        evhttp_add_header(output, "Connection", "close")
        body.withUnsafeBytes { bytes in
            _ = evbuffer_add(evhttp_request_get_output_buffer(request), bytes.baseAddress, bytes.count)
        }
        if evhttp_make_request(connection, request, EVHTTP_REQ_POST, target) != 0 {
            // libevent has freed the request; its callback will not run.
            Unmanaged<Exchange>.fromOpaque(context).release()
            completion(.failed("cannot send the request"))
        }
    }
}

private final class WorkBox {
    let work: @Sendable () -> Void
    init(_ work: @escaping @Sendable () -> Void) { self.work = work }
}

/// One outgoing request's completion and the error libevent reported before it.
private final class Exchange: @unchecked Sendable {
    let completion: @Sendable (BackgroundLoop.Outcome) -> Void
    var error: String?
    init(completion: @escaping @Sendable (BackgroundLoop.Outcome) -> Void) { self.completion = completion }
}

private func describe(_ error: evhttp_request_error) -> String {
    switch error {
    case EVREQ_HTTP_TIMEOUT: "timed out"
    case EVREQ_HTTP_EOF: "connection closed before an answer"
    case EVREQ_HTTP_INVALID_HEADER: "invalid answer headers"
    case EVREQ_HTTP_BUFFER_ERROR: "connection refused or reset"
    case EVREQ_HTTP_REQUEST_CANCEL: "cancelled"
    case EVREQ_HTTP_DATA_TOO_LONG: "answer too long"
    default: "connection failed"
    }
}
