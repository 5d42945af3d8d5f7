import CLibevent
import CTLS
import Platform
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One event loop on a thread of its own for work that is not answering a request: timers, and
/// outgoing HTTP requests through libevent's client. Nothing on it blocks: a slow or silent peer
/// costs a pending connection, never a thread, and never delays the request loops.
///
/// Its owner starts it and stops it (`stop`); `schedule` and `post` may be called from any thread
/// (libevent locks the base once `evthread_use_pthreads` has run, and wakes the loop). What is still
/// scheduled or in flight when it stops is abandoned, and counted.
public final class BackgroundLoop: Sendable {
    private let base: LibeventPointer
    /// Resolves host names without blocking the loop (nil when no resolver could be set up; the
    /// client then resolves with getaddrinfo).
    private let dns: LibeventPointer?
    /// Activated by `stop`; breaks the loop from inside it (a break asked before the loop has
    /// started would be forgotten when it starts).
    private let stopEvent: LibeventPointer

    private struct Outstanding {
        /// Work waiting on a timer, by ticket.
        var timers: [Int: Unmanaged<WorkBox>] = [:]
        /// Requests sent and not yet answered, by ticket.
        var exchanges: [Int: (exchange: Unmanaged<Exchange>, connection: LibeventPointer)] = [:]
        var nextTicket = 1
        var thread: OwnedThread?
        var stopping = false
        var stopped = false
    }

    private let outstanding = LockedValue(Outstanding())
    /// For `https://` targets; nil refuses them.
    private let tls: TLSClientContext?

    public init(tls: TLSClientContext? = nil) {
        self.tls = tls
        enableLibeventThreads
        base = LibeventPointer(event_base_new())
        dns = evdns_base_new(base.pointer, Int32(EVDNS_BASE_INITIALIZE_NAMESERVERS)).map(LibeventPointer.init)
        stopEvent = LibeventPointer(event_new(base.pointer, -1, 0, { _, _, base in
            event_base_loopbreak(OpaquePointer(base))
        }, UnsafeMutableRawPointer(base.pointer)))
    }

    deinit {
        stop(deadlineNanoseconds: 0)
    }

    /// Starts the loop's thread (once).
    public func start() throws(SystemError) {
        try outstanding.withLock { (state) throws(SystemError) in
            guard state.thread == nil, !state.stopping else { return }
            let base = self.base
            state.thread = try OwnedThread(name: "background") {
                event_base_loop(base.pointer, Int32(EVLOOP_NO_EXIT_ON_EMPTY))
            }
        }
    }

    /// What a stop left undone: timers that had not fired, and requests without an answer.
    public struct Abandoned: Sendable, Equatable {
        public var scheduled = 0
        public var inFlight = 0
    }

    /// Refuses new work, lets requests in flight finish until `deadline` (monotonic nanoseconds),
    /// then ends the loop, joins its thread and frees everything. Idempotent.
    @discardableResult
    public func stop(deadlineNanoseconds deadline: UInt64) -> Abandoned {
        let (first, thread) = outstanding.withLock { state in
            defer { state.stopping = true }
            return (!state.stopping, state.thread)
        }
        guard first else { return Abandoned() }
        if let thread {
            precondition(!thread.isCurrent, "the background loop cannot stop itself")
            while outstanding.withLock({ !$0.exchanges.isEmpty }) && monotonicNanoseconds() < deadline {
                usleep(5_000)
            }
            event_active(stopEvent.pointer, 0, 0)
            thread.join()
        }
        return outstanding.withLock { state in
            guard !state.stopped else { return Abandoned() }
            state.stopped = true
            let abandoned = Abandoned(scheduled: state.timers.count, inFlight: state.exchanges.count)
            // The loop is over: no callback can run; what they would have released is released here.
            for (exchange, connection) in state.exchanges.values {
                evhttp_connection_free(connection.pointer)
                exchange.release()
            }
            for box in state.timers.values { box.release() }
            state.timers.removeAll()
            state.exchanges.removeAll()
            if let dns { evdns_base_free(dns.pointer, 0) }
            event_free(stopEvent.pointer)
            event_base_free(base.pointer)
            return abandoned
        }
    }

    /// Runs `work` on the loop after `milliseconds`; dropped once the loop is stopping.
    public func schedule(afterMilliseconds milliseconds: Int, _ work: @escaping @Sendable () -> Void) {
        let delay = max(0, milliseconds)
        var wait = timeval(tv_sec: delay / 1000, tv_usec: Int((delay % 1000) * 1000))
        outstanding.withLock { state in
            guard !state.stopping else { return }
            let ticket = state.nextTicket
            state.nextTicket += 1
            let box = Unmanaged.passRetained(WorkBox(loop: self, ticket: ticket, work))
            if event_base_once(base.pointer, -1, Int16(EV_TIMEOUT), onTimer, box.toOpaque(), &wait) == 0 {
                state.timers[ticket] = box
            } else {
                box.release()
            }
        }
    }

    /// Called on the loop when a timer fires.
    fileprivate func fire(_ box: WorkBox) {
        let owned = outstanding.withLock { $0.timers.removeValue(forKey: box.ticket) }
        guard let owned else { return }
        box.work()
        owned.release()
    }

    /// What became of an outgoing request: the peer's status, or why there is none.
    public enum Outcome: Sendable, Equatable {
        case status(Int)
        case failed(String)
    }

    /// POSTs `body` to an `http://` or `https://` URL; `completion` runs on the loop with the outcome.
    public func post(
        url: String, headers: [(String, String)], body: [UInt8], timeoutMilliseconds: Int,
        completion: @escaping @Sendable (Outcome) -> Void
    ) {
        schedule(afterMilliseconds: 0) { [unowned self] in
            startPost(url: url, headers: headers, body: body, timeoutMilliseconds: timeoutMilliseconds, completion: completion)
        }
    }

    private func startPost(
        url: String, headers: [(String, String)], body: [UInt8], timeoutMilliseconds: Int,
        completion: @escaping @Sendable (Outcome) -> Void
    ) {
        let destination: DeliveryTarget
        switch DeliveryTarget.parse(url) {
        case .success(let parsed): destination = parsed
        case .failure(let error): return completion(.failed(error.description))
        }
        let secure = destination.secure, host = destination.host, port = destination.port, target = destination.target
        var clientContext: OpenSSLContext?
        if secure {
            guard let tls else { return completion(.failed("https:// URLs need a TLS client, which this loop has none of")) }
            do {
                clientContext = try tls.context
            } catch {
                return completion(.failed(error.description))
            }
        }
        let made = clientContext.map { ctls_connection_new(base.pointer, dns?.pointer, $0.pointer, host, UInt16(port)) }
            ?? evhttp_connection_base_new(base.pointer, dns?.pointer, host, UInt16(port))
        guard let connection = made else {
            return completion(.failed("cannot open a connection to \(host):\(port)"))
        }
        var timeout = timeval(tv_sec: timeoutMilliseconds / 1000, tv_usec: Int((timeoutMilliseconds % 1000) * 1000))
        evhttp_connection_set_timeout_tv(connection, &timeout)
        evhttp_connection_free_on_completion(connection)

        let exchange = Exchange(loop: self, connection: connection, completion: completion)
        let context = Unmanaged.passRetained(exchange).toOpaque()
        guard let request = evhttp_request_new({ request, context in
            let exchange = Unmanaged<Exchange>.fromOpaque(context!).takeUnretainedValue()
            let code = request.map { Int(evhttp_request_get_response_code($0)) } ?? 0
            exchange.loop.finish(exchange, with: code > 0 ? .status(code) : .failed(exchange.error ?? "connection failed"))
        }, context) else {
            Unmanaged<Exchange>.fromOpaque(context).release()
            evhttp_connection_free(connection)
            return completion(.failed("cannot create the request"))
        }
        evhttp_request_set_error_cb(request) { error, context in
            let exchange = Unmanaged<Exchange>.fromOpaque(context!).takeUnretainedValue()
            var reason = [CChar](repeating: 0, count: 256)
            ctls_connection_failure(exchange.connection, &reason, reason.count)
            exchange.error = reason[0] != 0 ? String(cBuffer: reason) : describe(error)
        }
        let output = evhttp_request_get_output_headers(request)
        evhttp_add_header(output, "Host", destination.hostHeader)
        for (name, value) in headers { evhttp_add_header(output, name, value) }
        evhttp_add_header(output, "Content-Length", String(body.count))
        evhttp_add_header(output, "Connection", "close")
        body.withUnsafeBytes { bytes in
            _ = evbuffer_add(evhttp_request_get_output_buffer(request), bytes.baseAddress, bytes.count)
        }
        outstanding.withLock { state in
            exchange.ticket = state.nextTicket
            state.nextTicket += 1
            state.exchanges[exchange.ticket] = (Unmanaged.passUnretained(exchange), LibeventPointer(connection))
        }
        if evhttp_make_request(connection, request, EVHTTP_REQ_POST, target) != 0 {
            // libevent has freed the request; its callback will not run.
            _ = outstanding.withLock { $0.exchanges.removeValue(forKey: exchange.ticket) }
            Unmanaged<Exchange>.fromOpaque(context).release()
            completion(.failed("cannot send the request"))
        }
    }

    /// Called on the loop when an outgoing request ends, answered or not.
    fileprivate func finish(_ exchange: Exchange, with outcome: Outcome) {
        guard outstanding.withLock({ $0.exchanges.removeValue(forKey: exchange.ticket) }) != nil else { return }
        exchange.completion(outcome)
        Unmanaged.passUnretained(exchange).release()
    }
}

/// A libevent object's pointer, handed between threads; libevent's own locking makes that safe.
struct LibeventPointer: @unchecked Sendable {
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer?) {
        guard let pointer else { fatalError("libevent could not allocate (out of memory)") }
        self.pointer = pointer
    }
}

private func onTimer(_ fd: Int32, _ what: Int16, _ context: UnsafeMutableRawPointer?) {
    let box = Unmanaged<WorkBox>.fromOpaque(context!).takeUnretainedValue()
    box.loop.fire(box)
}

/// Work waiting on a timer; `loop` is unowned (the loop outlives its timers: `stop` releases them).
private final class WorkBox {
    unowned let loop: BackgroundLoop
    let ticket: Int
    let work: @Sendable () -> Void
    init(loop: BackgroundLoop, ticket: Int, _ work: @escaping @Sendable () -> Void) {
        self.loop = loop
        self.ticket = ticket
        self.work = work
    }
}

/// One outgoing request's completion and the error libevent reported before it. Touched on the loop only.
private final class Exchange: @unchecked Sendable {
    unowned let loop: BackgroundLoop
    let connection: OpaquePointer
    let completion: @Sendable (BackgroundLoop.Outcome) -> Void
    var error: String?
    var ticket = 0
    init(loop: BackgroundLoop, connection: OpaquePointer, completion: @escaping @Sendable (BackgroundLoop.Outcome) -> Void) {
        self.loop = loop
        self.connection = connection
        self.completion = completion
    }
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
