import CEventShims
import CLibevent
import CTLS
import Logging
import Platform
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One event loop: its own thread, event base and evhttp, accepting on the shared listening socket.
///
/// Everything mutable here is touched only on the loop's own thread. The event base has no lock
/// (see `setUp`): other threads reach the loop only through `requestShutdown` and
/// `scheduleStreamFlush`, which set a flag and wake it through an eventfd.
final class EventLoopWorker: @unchecked Sendable {
    private let configuration: HTTPServerConfiguration
    private let responder: any HTTPResponder
    private let logger: Logger
    private let listenDescriptor: Int32
    private let tlsListenDescriptor: Int32?
    /// This loop's writer of access lines, when the server has an access log.
    private var accessLine: AccessLineWriter?
    /// The `Date` field of this second's answers (see `send`).
    private var date = HTTPDate()

    private var base: OpaquePointer?
    private var http: OpaquePointer?
    private var boundSocket: OpaquePointer?
    /// The second evhttp, for HTTPS: in libevent 2.1 the TLS callback applies to a whole evhttp.
    private var tlsHTTP: OpaquePointer?
    private var tlsBoundSocket: OpaquePointer?
    /// What each evhttp's connections are made with; freed after the evhttps.
    private var connectionSetups: [OpaquePointer] = []
    /// The eventfd other threads write to, and its event on this loop (`onWake`). The descriptor
    /// stays open until the worker is gone, so a late write cannot reach a reused descriptor.
    private var wakeDescriptor: Int32 = -1
    private var wakeEvent: OpaquePointer?
    /// What a wake-up asks for: `beginShutdown`, or the stream flush timer.
    private let shutdownWanted = Atomic<Bool>(false)
    private let flushTimerWanted = Atomic<Bool>(false)
    private var drainTimer: OpaquePointer?
    /// A timer added (through a wake-up) when an event stream has something to write: events are
    /// written in batches, every `streamFlushMicroseconds` at most, instead of one write per event
    /// per stream (50 open streams made each API request 5 times as dear with immediate writes).
    private var streamEvent: OpaquePointer?
    private let flushScheduled = Atomic<Bool>(false)
    static let streamFlushMicroseconds = 20_000
    /// Every 15 s, a comment on each open stream, so proxies and clients know it is alive.
    private var heartbeatTimer: OpaquePointer?
    /// When accept() fails (out of descriptors), the loop stops accepting for a moment and this
    /// timer starts it again (see `acceptFailed`).
    private var acceptResumeTimer: OpaquePointer?
    private var lastAcceptWarning: UInt64 = 0
    private var acceptPausesUnreported = 0
    static let acceptPauseMicroseconds = 100_000
    /// Open event streams of this loop, by their handle. Touched on the loop's thread only.
    private var streams: [ObjectIdentifier: OpenStream] = [:]
    private let openStreams: StreamCounter
    private var shuttingDown = false
    /// Responses scheduled on a timer and not yet sent.
    private var pendingResponses = 0
    private var drainDeadline: UInt64 = 0

    init(
        configuration: HTTPServerConfiguration, responder: any HTTPResponder, logger: Logger, listenDescriptor: Int32,
        tlsListenDescriptor: Int32? = nil, openStreams: StreamCounter = StreamCounter()
    ) {
        self.openStreams = openStreams
        self.configuration = configuration
        self.responder = responder
        self.logger = logger
        self.listenDescriptor = listenDescriptor
        self.tlsListenDescriptor = tlsListenDescriptor
        self.accessLine = configuration.accessLog.map(AccessLineWriter.init)
    }

    /// Creates the loop's base and evhttp(s) (before its thread starts, so failures reach the caller).
    func setUp() throws {
        // The base is used from this loop's thread only, so it goes without libevent's lock, which
        // it would otherwise take and release some ten times a request (callgrind: ~840
        // instructions and ~20 atomic operations a request).
        // With the change list, epoll learns of the loop's changes once per turn of the loop, so a
        // keep-alive request costs two epoll_ctl calls instead of four (evhttp turns writing on
        // for the answer and off after it). libevent's one caveat: no registered descriptor may
        // outlive a close() of its number through another copy (a dup(), a child's inherited
        // copy, one passed by SCM_RIGHTS), or epoll keeps watching a socket the loop no longer
        // knows. None exists: the loops accept on the listening socket itself (`makeHTTP`), the
        // server spawns no children, and nothing registered is duplicated.
        guard let config = event_config_new() else { throw SystemError(call: "event_config_new", code: ENOMEM) }
        defer { event_config_free(config) }
        event_config_set_flag(config, Int32(EVENT_BASE_FLAG_NOLOCK.rawValue | EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST.rawValue))
        guard let base = event_base_new_with_config(config) else { throw SystemError(call: "event_base_new", code: errno) }
        self.base = base
        let me = Unmanaged.passUnretained(self).toOpaque()
        wakeDescriptor = try systemCall("eventfd") { cevent_wake_descriptor_new() }
        wakeEvent = event_new(base, wakeDescriptor, Int16(EV_READ | EV_PERSIST), onWake, me)
        event_add(wakeEvent, nil)
        acceptResumeTimer = event_new(base, -1, 0, onAcceptResume, me)
        (http, boundSocket) = try makeHTTP(on: base, accepting: listenDescriptor)
        if let tlsListenDescriptor, let tls = configuration.tls {
            let (tlsHTTP, socket) = try makeHTTP(
                on: base, accepting: tlsListenDescriptor, making: ctls_accepting_bufferevent, with: tls.context.context.pointer)
            self.tlsHTTP = tlsHTTP
            tlsBoundSocket = socket
        }
        drainTimer = event_new(base, -1, Int16(EV_PERSIST), onDrainTick, me)
        streamEvent = event_new(base, -1, 0, onStreamsReady, me)
        heartbeatTimer = event_new(base, -1, Int16(EV_PERSIST), onHeartbeat, me)
        var every = timeval(tv_sec: 15, tv_usec: 0)
        event_add(heartbeatTimer, &every)
    }

    /// An evhttp with the server's limits and this loop's request handler, accepting on
    /// `descriptor` (which stays open: the server's `Listener` owns it), each connection's
    /// bufferevent made by `make` (with `context`), or a plain one.
    private func makeHTTP(
        on base: OpaquePointer, accepting descriptor: Int32,
        making make: cevent_make_bufferevent? = nil, with context: UnsafeMutableRawPointer? = nil
    ) throws -> (OpaquePointer, OpaquePointer) {
        guard let http = evhttp_new(base) else { throw SystemError(call: "evhttp_new", code: errno) }
        // A read timeout only (not evhttp_set_timeout's read and write): see connections.c.
        guard let setup = cevent_serve_with_read_timeout(http, Int32(configuration.timeoutSeconds), make, context) else {
            evhttp_free(http)
            throw SystemError(call: "calloc", code: ENOMEM)
        }
        connectionSetups.append(setup)
        let allMethods = HTTPMethod.allCases.reduce(UInt16(0)) { $0 | UInt16($1.libeventCommand.rawValue) }
        evhttp_set_allowed_methods(http, allMethods)
        evhttp_set_max_body_size(http, Int(configuration.maxBodySize))
        evhttp_set_max_headers_size(http, Int(configuration.maxHeadersSize))
        // Every answer with a body names its type; one without (a 202, a redirect) gets none,
        // rather than libevent's default "text/html; charset=ISO-8859-1".
        evhttp_set_default_content_type(http, nil)
        // Read (and drop) an over-long body before answering 413, so the client sees the answer.
        evhttp_set_flags(http, Int32(EVHTTP_SERVER_LINGERING_CLOSE))
        evhttp_set_gencb(http, onRequest, Unmanaged.passUnretained(self).toOpaque())
        // Not evhttp_accept_socket, which closes the descriptor when the evhttp is freed and so
        // needs a dup() per loop: a dup()ed descriptor is the one thing the change list above
        // cannot be trusted with.
        guard let listener = evconnlistener_new(base, nil, nil, UInt32(LEV_OPT_CLOSE_ON_EXEC), 0, descriptor) else {
            let code = errno
            evhttp_free(http)
            throw SystemError(call: "evconnlistener_new", code: code)
        }
        guard let bound = evhttp_bind_listener(http, listener) else {
            let code = errno
            evconnlistener_free(listener)
            evhttp_free(http)
            throw SystemError(call: "evhttp_bind_listener", code: code)
        }
        evconnlistener_set_error_cb(listener, onAcceptError)
        return (http, bound)
    }

    /// Runs the loop until shutdown has drained it, then frees everything. On the loop's own thread.
    func run() {
        cevent_set_thread_error_handler(onLibeventError, Unmanaged.passUnretained(self).toOpaque())
        event_base_dispatch(base)
        cevent_set_thread_error_handler(nil, nil)
        discard()
    }

    /// Frees the loop's base and evhttp (after `run`, or instead of it when start-up failed).
    func discard() {
        if let http { evhttp_free(http) }
        if let tlsHTTP { evhttp_free(tlsHTTP) }
        connectionSetups.forEach { cevent_connection_setup_free($0) }
        connectionSetups = []
        if let wakeEvent { event_free(wakeEvent) }
        if let drainTimer { event_free(drainTimer) }
        if let streamEvent { event_free(streamEvent) }
        if let heartbeatTimer { event_free(heartbeatTimer) }
        if let acceptResumeTimer { event_free(acceptResumeTimer) }
        streamEvent = nil
        heartbeatTimer = nil
        if let base { event_base_free(base) }
        http = nil
        tlsHTTP = nil
        wakeEvent = nil
        drainTimer = nil
        base = nil
    }

    deinit {
        if wakeDescriptor >= 0 { close(wakeDescriptor) }
    }

    /// From any thread: stop accepting, let pending responses go out, then stop the loop.
    func requestShutdown() {
        shutdownWanted.store(true, ordering: .releasing)
        wake()
    }

    /// From any thread: `onWake` runs on the loop's thread (once for several wake-ups).
    private func wake() {
        if wakeDescriptor >= 0 { cevent_wake(wakeDescriptor) }
    }

    /// On the loop's thread: what other threads asked for.
    fileprivate func woken() {
        cevent_wake_drain(wakeDescriptor)
        if flushTimerWanted.exchange(false, ordering: .acquiringAndReleasing), let streamEvent {
            var after = timeval(tv_sec: 0, tv_usec: Self.streamFlushMicroseconds)
            event_add(streamEvent, &after)
        }
        if shutdownWanted.exchange(false, ordering: .acquiringAndReleasing) { beginShutdown() }
    }

    fileprivate func beginShutdown() {
        shuttingDown = true
        // Event streams never end by themselves: end them, so the loop can drain.
        for handle in Array(streams.keys) { endStream(handle) }
        if let heartbeatTimer { event_del(heartbeatTimer) }
        if let boundSocket, let http {
            evhttp_del_accept_socket(http, boundSocket)
            self.boundSocket = nil
        }
        if let tlsBoundSocket, let tlsHTTP {
            evhttp_del_accept_socket(tlsHTTP, tlsBoundSocket)
            self.tlsBoundSocket = nil
        }
        drainDeadline = monotonicNanoseconds() + UInt64(configuration.shutdownGraceSeconds) * 1_000_000_000
        var tick = timeval(tv_sec: 0, tv_usec: 10_000)
        event_add(drainTimer, &tick)
    }

    /// accept() failed with an error that is not a retry (EMFILE when the process is out of
    /// descriptors, ENFILE, ENOBUFS). The listening socket stays readable, and libevent's listener
    /// is level-triggered, so left enabled it would call accept() again at once, forever: a loop
    /// at full CPU that writes a warning per turn. Instead the listener pauses for a moment (the
    /// pending connections wait in the kernel's backlog) and a warning is written at most every
    /// ten seconds.
    fileprivate func acceptFailed(_ listener: OpaquePointer, code: Int32) {
        evconnlistener_disable(listener)
        if let acceptResumeTimer, event_pending(acceptResumeTimer, Int16(EV_TIMEOUT), nil) == 0 {
            var pause = timeval(tv_sec: 0, tv_usec: Self.acceptPauseMicroseconds)
            event_add(acceptResumeTimer, &pause)
        }
        acceptPausesUnreported += 1
        let now = monotonicNanoseconds()
        if lastAcceptWarning == 0 || now - lastAcceptWarning >= 10_000_000_000 {
            logger.warning("accept() failed; not accepting new connections for \(Self.acceptPauseMicroseconds / 1000) ms", metadata: [
                "error": "\(String(cString: strerror(code)))", "pauses": "\(acceptPausesUnreported)"])
            lastAcceptWarning = now
            acceptPausesUnreported = 0
        }
    }

    fileprivate func resumeAccepting() {
        guard !shuttingDown else { return }
        for bound in [boundSocket, tlsBoundSocket].compactMap({ $0 }) {
            evconnlistener_enable(evhttp_bound_socket_get_listener(bound))
        }
    }

    fileprivate func drainTick() {
        guard pendingResponses == 0 || monotonicNanoseconds() >= drainDeadline else { return }
        event_del(drainTimer)
        // A moment for answers already written to leave the output buffers.
        var flush = timeval(tv_sec: 0, tv_usec: 50_000)
        event_base_loopexit(base, &flush)
    }

    // MARK: Requests

    fileprivate func handle(_ request: OpaquePointer) {
        let started = monotonicNanoseconds()
        var response: HTTPResponse
        let method: HTTPMethod, path: String
        switch readRequest(request) {
        case .success(let incoming):
            method = incoming.method
            path = incoming.path
            let closesAfter = (method == .HEAD || method == .TRACE) && declaresBody(incoming.headers)
            response = responder.respond(to: consume incoming)
            if closesAfter {
                // libevent 2.1 does not read a HEAD or TRACE body: its bytes would be taken for the
                // next request, so this connection ends with this answer.
                response.headers.set("Connection", "close")
            }
        case .failure(let failure):
            method = .GET
            path = "?"
            response = responder.respond(to: failure)
        }
        if response.delayMilliseconds > 0 {
            schedule(response, for: request, method: method, path: path, started: started)
        } else {
            send(response, for: request, method: method, path: path, started: started)
        }
    }

    /// Answers what libevent refuses by itself (see CEventShims.h): an unknown method on a known
    /// path is a 405 with the path's `Allow` (on another path a 404); anything else is rendered
    /// from its status. The connection closes after it (the C side says so: libevent has not read
    /// the body).
    fileprivate func answerLibeventError(_ request: OpaquePointer, status: Int) {
        let started = monotonicNanoseconds()
        var path = "?"
        let failure: HTTPFailure
        if cevent_request_has_known_method(request) == 0, let uri = evhttp_request_get_evhttp_uri(request) {
            let rawPath = evhttp_uri_get_path(uri).map { String(cString: $0) } ?? "/"
            path = rawPath.isEmpty ? "/" : rawPath
            failure = responder.allowedMethods(forPath: path).map { .methodNotAllowed(allowed: $0) } ?? .routeNotFound
        } else {
            switch status {
            case 400: failure = .unparseableRequest
            case 413: failure = .bodyTooLarge(limit: configuration.maxBodySize)
            case 501: failure = .methodNotImplemented
            default: failure = .other(status: status)
            }
        }
        let response = responder.respond(to: failure)
        send(response, for: request, method: .GET, path: path, started: started)
    }

    private func readRequest(_ request: OpaquePointer) -> Result<HTTPRequest, HTTPFailure> {
        let method = HTTPMethod(libeventCommand: evhttp_request_get_command(request)) ?? .GET
        let uri = evhttp_request_get_evhttp_uri(request)
        let rawPath = evhttp_uri_get_path(uri).map { String(cString: $0) } ?? "/"
        let received = rawPath.isEmpty ? "/" : rawPath
        guard let path = percentDecode(received) else {
            return .failure(.malformedPath)
        }
        let query = evhttp_uri_get_query(uri).map { QueryParameters(parsing: String(cString: $0)) } ?? QueryParameters()

        let inputHeaders = evhttp_request_get_input_headers(request)
        let headers = HTTPHeaders { each in
            var header = cshim_headers_first(inputHeaders)
            while let current = header {
                each(current.pointee.key, current.pointee.value)
                header = cshim_headers_next(current)
            }
        }

        let input = evhttp_request_get_input_buffer(request)
        let length = evbuffer_get_length(input)
        // Copied from the buffer made contiguous (usually already), as an Array built from a
        // buffer pointer: `Array(unsafeUninitializedCapacity:)` looked its storage type up at run
        // time on every request (~360 instructions).
        var body: [UInt8] = []
        if length > 0, let bytes = evbuffer_pullup(input, -1) {
            body = Array(UnsafeBufferPointer(start: bytes, count: length))
            evbuffer_drain(input, length)
        }
        return .success(HTTPRequest(method: method, path: path, rawPath: received, query: query, headers: headers, body: body))
    }

    private func send(_ response: HTTPResponse, for request: OpaquePointer, method: HTTPMethod, path: String, started: UInt64) {
        if let stream = response.stream, method != .HEAD {
            return startStream(stream, response, for: request, method: method, path: path)
        }
        let headers = evhttp_request_get_output_headers(request)
        response.headers.forEachCString { name, value in _ = evhttp_add_header(headers, name, value) }
        // libevent adds the same field to every HTTP/1.1 answer that has none, formatting the time
        // with snprintf each time: ~3,200 of a fetch's ~46,000 instructions (callgrind). Made once a
        // second here instead, with the same text.
        date.current.withCString { _ = evhttp_add_header(headers, "Date", $0) }
        if method == .HEAD {
            // libevent sends no Content-Length for HEAD but would still send a body: write none.
            evhttp_add_header(headers, "Content-Length", String(response.body.count))
        } else if !response.body.isEmpty {
            let output = evhttp_request_get_output_buffer(request)
            if response.body.count < Self.referencedBodyBytes || !addInPlace(response.body, to: output) {
                response.body.withUnsafeBytes { bytes in
                    _ = evbuffer_add(output, bytes.baseAddress, bytes.count)
                }
            }
        }
        reasonPhrase(response.status).withCString { evhttp_send_reply(request, Int32(response.status), $0, nil) }
        if accessLine != nil {
            accessLine!.write(method: method, path: path, status: response.status, elapsedNanoseconds: monotonicNanoseconds() - started)
        }
    }

    /// From this size on, a body is sent from where it is instead of being copied into libevent.
    static let referencedBodyBytes = 8192

    /// Hands libevent a reference to `body`'s bytes, kept alive by a box it releases once they are
    /// written or dropped; false when libevent refused (it then keeps nothing and calls no cleanup).
    /// Copied with `evbuffer_add`, each list page (16 KiB) took a new libevent chain of its own (a
    /// power of two, 32 KiB), and the server made one `madvise` call per ~30 list answers; in place,
    /// 2 in 3,520 (`strace -c`, bench/RESULTS.md).
    ///
    /// The pointer outlives `withUnsafeBytes`: the box holds the only reference libevent needs, an
    /// immutable native array, whose storage neither moves nor changes while the box lives.
    private func addInPlace(_ body: [UInt8], to output: OpaquePointer?) -> Bool {
        let box = Unmanaged.passRetained(ReferencedBody(body))
        let added = box.takeUnretainedValue().bytes.withUnsafeBytes { bytes in
            evbuffer_add_reference(output, bytes.baseAddress, bytes.count, releaseReferencedBody, box.toOpaque())
        }
        if added != 0 { box.release() }
        return added == 0
    }

    // MARK: Event streams

    /// Starts a chunked reply that stays open, unless too many streams are open already (429).
    private func startStream(_ stream: EventStream, _ response: HTTPResponse, for request: OpaquePointer, method: HTTPMethod, path: String) {
        guard !shuttingDown, openStreams.reserve(below: configuration.maxEventStreams),
              let connection = evhttp_request_get_connection(request) else {
            stream.close()
            var refused = responder.respond(to: .other(status: shuttingDown ? 503 : 429))
            refused.stream = nil
            return send(refused, for: request, method: method, path: path, started: monotonicNanoseconds())
        }
        let headers = evhttp_request_get_output_headers(request)
        response.headers.forEachCString { name, value in _ = evhttp_add_header(headers, name, value) }
        reasonPhrase(response.status).withCString { evhttp_send_reply_start(request, Int32(response.status), $0) }
        let handle = StreamHandle(worker: self, stream: stream)
        streams[ObjectIdentifier(handle)] = OpenStream(handle: handle, request: request, connection: connection)
        evhttp_connection_set_closecb(connection, onStreamConnectionClosed, Unmanaged.passUnretained(handle).toOpaque())
        cevent_connection_stream_timeout(connection, Int32(configuration.timeoutSeconds))
        write(response.body, to: request)
        stream.attach { [self] in scheduleStreamFlush() }
        if accessLine != nil {
            accessLine!.write(method: method, path: path, status: response.status, elapsedNanoseconds: 0, note: "stream opened")
        }
        writeStreams()
    }

    private func write(_ bytes: [UInt8], to request: OpaquePointer) {
        guard !bytes.isEmpty, let buffer = evbuffer_new() else { return }
        bytes.withUnsafeBytes { _ = evbuffer_add(buffer, $0.baseAddress, $0.count) }
        evhttp_send_reply_chunk(request, buffer)
        evbuffer_free(buffer)
    }

    /// From any thread: write the streams' events within `streamFlushMicroseconds`.
    func scheduleStreamFlush() {
        guard flushScheduled.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        flushTimerWanted.store(true, ordering: .releasing)
        wake()
    }

    /// Writes what each stream was sent; ends those that were finished.
    fileprivate func writeStreams() {
        flushScheduled.store(false, ordering: .releasing)
        for (id, open) in streams {
            let (bytes, finished) = open.handle.stream.take()
            write(bytes, to: open.request)
            if finished { endStream(id) }
        }
    }

    fileprivate func heartbeat() {
        for open in streams.values { write(Array(": ping\n\n".utf8), to: open.request) }
    }

    /// Ends a stream's reply (the connection stays usable) and forgets it.
    private func endStream(_ id: ObjectIdentifier) {
        guard let open = streams.removeValue(forKey: id) else { return }
        evhttp_connection_set_closecb(open.connection, nil, nil)
        cevent_connection_resume_timeout(open.connection, Int32(configuration.timeoutSeconds))
        evhttp_send_reply_end(open.request)
        openStreams.release()
        open.handle.stream.close()
    }

    /// The client went: libevent frees the request right after this.
    fileprivate func streamConnectionClosed(_ handle: StreamHandle) {
        guard streams.removeValue(forKey: ObjectIdentifier(handle)) != nil else { return }
        openStreams.release()
        handle.stream.close()
    }

    private func schedule(_ response: HTTPResponse, for request: OpaquePointer, method: HTTPMethod, path: String, started: UInt64) {
        let delayed = DelayedResponse(worker: self, response: response, request: request, method: method, path: path, started: started)
        let context = Unmanaged.passRetained(delayed).toOpaque()
        var wait = timeval(
            tv_sec: response.delayMilliseconds / 1000, tv_usec: Int((response.delayMilliseconds % 1000) * 1000))
        pendingResponses += 1
        if event_base_once(base, -1, Int16(EV_TIMEOUT), onDelayElapsed, context, &wait) != 0 {
            Unmanaged<DelayedResponse>.fromOpaque(context).release()
            pendingResponses -= 1
            send(response, for: request, method: method, path: path, started: started)
        }
    }

    fileprivate func sendDelayed(_ delayed: DelayedResponse) {
        pendingResponses -= 1
        var response = delayed.response
        response.delayMilliseconds = 0
        send(response, for: delayed.request, method: delayed.method, path: delayed.path, started: delayed.started)
    }
}

private func declaresBody(_ headers: HTTPHeaders) -> Bool {
    if headers["Transfer-Encoding"] != nil { return true }
    guard let length = headers["Content-Length"] else { return false }
    return length.contains { $0 != " " && $0 != "0" }
}

/// A response waiting on a loop timer.
final class DelayedResponse: @unchecked Sendable {
    let worker: EventLoopWorker
    let response: HTTPResponse
    let request: OpaquePointer
    let method: HTTPMethod
    let path: String
    let started: UInt64

    init(worker: EventLoopWorker, response: HTTPResponse, request: OpaquePointer, method: HTTPMethod, path: String, started: UInt64) {
        self.worker = worker
        self.response = response
        self.request = request
        self.method = method
        self.path = path
        self.started = started
    }
}

private func onLibeventError(_ context: UnsafeMutableRawPointer?, _ request: OpaquePointer?, _ status: Int32) -> Int32 {
    guard let context, let request else { return 0 }
    Unmanaged<EventLoopWorker>.fromOpaque(context).takeUnretainedValue().answerLibeventError(request, status: Int(status))
    return 1
}

// C callbacks live here, outside any main file, so they are not MainActor-isolated: libevent calls
// them on loop threads.

/// A listener's error callback: its argument is the evhttp's, so the loop is found through the
/// thread (`run` registers it).
private func onAcceptError(_ listener: OpaquePointer?, _: UnsafeMutableRawPointer?) {
    let code = errno
    guard let listener, let context = cevent_thread_context() else { return }
    Unmanaged<EventLoopWorker>.fromOpaque(context).takeUnretainedValue().acceptFailed(listener, code: code)
}

private func onAcceptResume(_: Int32, _: Int16, _ context: UnsafeMutableRawPointer?) {
    guard let context else { return }
    Unmanaged<EventLoopWorker>.fromOpaque(context).takeUnretainedValue().resumeAccepting()
}

private func onRequest(_ request: OpaquePointer?, _ context: UnsafeMutableRawPointer?) {
    guard let request, let context else { return }
    Unmanaged<EventLoopWorker>.fromOpaque(context).takeUnretainedValue().handle(request)
}

private func onWake(_ fd: Int32, _ what: Int16, _ context: UnsafeMutableRawPointer?) {
    guard let context else { return }
    Unmanaged<EventLoopWorker>.fromOpaque(context).takeUnretainedValue().woken()
}

private func onDrainTick(_ fd: Int32, _ what: Int16, _ context: UnsafeMutableRawPointer?) {
    guard let context else { return }
    Unmanaged<EventLoopWorker>.fromOpaque(context).takeUnretainedValue().drainTick()
}

private func onDelayElapsed(_ fd: Int32, _ what: Int16, _ context: UnsafeMutableRawPointer?) {
    guard let context else { return }
    let delayed = Unmanaged<DelayedResponse>.fromOpaque(context).takeRetainedValue()
    delayed.worker.sendDelayed(delayed)
}

extension HTTPMethod {
    init?(libeventCommand: evhttp_cmd_type) {
        switch libeventCommand {
        case EVHTTP_REQ_GET: self = .GET
        case EVHTTP_REQ_POST: self = .POST
        case EVHTTP_REQ_HEAD: self = .HEAD
        case EVHTTP_REQ_PUT: self = .PUT
        case EVHTTP_REQ_DELETE: self = .DELETE
        case EVHTTP_REQ_OPTIONS: self = .OPTIONS
        case EVHTTP_REQ_TRACE: self = .TRACE
        case EVHTTP_REQ_CONNECT: self = .CONNECT
        case EVHTTP_REQ_PATCH: self = .PATCH
        default: return nil
        }
    }

    var libeventCommand: evhttp_cmd_type {
        switch self {
        case .GET: EVHTTP_REQ_GET
        case .POST: EVHTTP_REQ_POST
        case .HEAD: EVHTTP_REQ_HEAD
        case .PUT: EVHTTP_REQ_PUT
        case .DELETE: EVHTTP_REQ_DELETE
        case .OPTIONS: EVHTTP_REQ_OPTIONS
        case .TRACE: EVHTTP_REQ_TRACE
        case .CONNECT: EVHTTP_REQ_CONNECT
        case .PATCH: EVHTTP_REQ_PATCH
        }
    }
}

/// An event stream on its loop.
struct OpenStream {
    let handle: StreamHandle
    let request: OpaquePointer
    let connection: OpaquePointer
}

/// What the connection's close callback gets: the loop and the stream.
final class StreamHandle {
    unowned let worker: EventLoopWorker
    let stream: EventStream

    init(worker: EventLoopWorker, stream: EventStream) {
        self.worker = worker
        self.stream = stream
    }
}

/// Event streams open over all loops, against `HTTPServerConfiguration.maxEventStreams`.
final class StreamCounter: Sendable {
    private let count = Atomic<Int>(0)

    /// Counts one more unless `limit` are open.
    func reserve(below limit: Int) -> Bool {
        var current = count.load(ordering: .relaxed)
        while current < limit {
            let (exchanged, original) = count.compareExchange(expected: current, desired: current + 1, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
        return false
    }

    func release() {
        count.wrappingSubtract(1, ordering: .relaxed)
    }

    var open: Int { count.load(ordering: .relaxed) }
}

/// A body libevent sends in place (`addInPlace`), alive until libevent lets it go.
private final class ReferencedBody {
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }
}

private func releaseReferencedBody(_ data: UnsafeRawPointer?, _ length: Int, _ context: UnsafeMutableRawPointer?) {
    guard let context else { return }
    Unmanaged<ReferencedBody>.fromOpaque(context).release()
}

private func onStreamsReady(_ fd: Int32, _ what: Int16, _ context: UnsafeMutableRawPointer?) {
    guard let context else { return }
    Unmanaged<EventLoopWorker>.fromOpaque(context).takeUnretainedValue().writeStreams()
}

private func onHeartbeat(_ fd: Int32, _ what: Int16, _ context: UnsafeMutableRawPointer?) {
    guard let context else { return }
    Unmanaged<EventLoopWorker>.fromOpaque(context).takeUnretainedValue().heartbeat()
}

private func onStreamConnectionClosed(_ connection: OpaquePointer?, _ context: UnsafeMutableRawPointer?) {
    guard let context else { return }
    let handle = Unmanaged<StreamHandle>.fromOpaque(context).takeUnretainedValue()
    handle.worker.streamConnectionClosed(handle)
}
