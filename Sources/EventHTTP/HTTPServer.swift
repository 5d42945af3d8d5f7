import CLibevent
import Logging
import Platform
#if canImport(Glibc)
import Glibc
#endif

/// The HTTP event loops: `start` binds and starts them, `shutdown` (from any thread) stops them
/// gracefully, `wait` returns once every loop thread has been joined.
public final class HTTPServer: Sendable {
    public let configuration: HTTPServerConfiguration
    private let responder: any HTTPResponder
    private let logger: Logger

    private struct State {
        var workers: [EventLoopWorker] = []
        var threads: [OwnedThread] = []
        var listeners: [ListenerBox] = []
        var tlsListener: ListenerBox?
        var port = 0
        var tlsPort: Int?
    }

    private let state = LockedValue(State())
    private let openStreams = StreamCounter()

    /// Event streams open now, over all loops.
    public var openEventStreams: Int { openStreams.open }

    /// The port actually bound (differs from the configuration's when that is 0).
    public var port: Int { state.withLock { $0.port } }

    /// The HTTPS port actually bound, when there is one.
    public var tlsPort: Int? { state.withLock { $0.tlsPort } }

    public init(configuration: HTTPServerConfiguration, responder: any HTTPResponder, logger: Logger) {
        self.configuration = configuration
        self.responder = responder
        self.logger = logger
    }

    /// The loops accept on the listening sockets this server owns, so a server released while
    /// they run stops and joins them before those sockets close.
    deinit {
        shutdown()
        wait()
    }

    /// Binds the socket, sets every loop up on this thread (so a failure is thrown here), then
    /// starts one thread per loop. On any failure nothing is left running.
    public func start() throws {
        enableLibeventThreads
        raiseDescriptorLimit
        let workerCount = max(1, configuration.workers)
        var listeners = [ListenerBox(try Listener(host: configuration.host, port: configuration.port, reusePort: configuration.reusePort))]
        let port = listeners[0].listener.port
        if configuration.reusePort {
            for _ in 1..<workerCount {
                listeners.append(ListenerBox(try Listener(host: configuration.host, port: port, reusePort: true)))
            }
        }
        // HTTPS: one socket shared by every loop (each loop's second evhttp accepts on it).
        let tlsListener = try configuration.tls.map { ListenerBox(try Listener(host: configuration.host, port: $0.port)) }
        var workers: [EventLoopWorker] = []
        for index in 0..<workerCount {
            let worker = EventLoopWorker(
                configuration: configuration, responder: responder, logger: logger,
                listenDescriptor: listeners[configuration.reusePort ? index : 0].listener.descriptor,
                tlsListenDescriptor: tlsListener?.listener.descriptor, openStreams: openStreams)
            workers.append(worker)
            do {
                try worker.setUp()
            } catch {
                for worker in workers { worker.discard() }
                throw error
            }
        }
        var threads: [OwnedThread] = []
        do {
            for (index, worker) in workers.enumerated() {
                threads.append(try OwnedThread(name: "http-loop-\(index)") { worker.run() })
            }
        } catch {
            for worker in workers.prefix(threads.count) { worker.requestShutdown() }
            for thread in threads { thread.join() }
            for worker in workers.dropFirst(threads.count) { worker.discard() }
            throw error
        }
        state.withLock {
            $0 = State(workers: workers, threads: threads, listeners: listeners, tlsListener: tlsListener, port: port, tlsPort: tlsListener?.listener.port)
        }
    }

    /// From any thread: stop accepting, let in-flight answers finish, stop the loops.
    public func shutdown() {
        for worker in state.withLock({ $0.workers }) { worker.requestShutdown() }
    }

    /// Blocks until every loop has stopped and its thread is joined; then the sockets are closed.
    public func wait() {
        for thread in state.withLock({ $0.threads }) { thread.join() }
        state.withLock { state in
            state.threads.removeAll()
            state.workers.removeAll()
            state.listeners.removeAll()
            state.tlsListener = nil
        }
    }
}

/// Owns a listening socket for the server's lifetime.
private final class ListenerBox: Sendable {
    let listener: Listener

    init(_ listener: consuming Listener) {
        self.listener = listener
    }
}

/// Each connection holds a descriptor, and the soft limit is often 1,024: it is raised to the hard
/// limit (as Go's runtime does at start), so the server takes as many clients as the system lets
/// it. Out of descriptors all the same, a loop pauses accepting (`EventLoopWorker.acceptFailed`).
let raiseDescriptorLimit: Void = {
    var limit = rlimit()
    guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
    limit.rlim_cur = limit.rlim_max
    _ = setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
}()

/// libevent's locking must be on before any base exists: the webhook loop (`BackgroundLoop`) is
/// used from other threads. The request loops' bases opt out of it (`EventLoopWorker.setUp`).
let enableLibeventThreads: Void = {
    evthread_use_pthreads()
    signal(SIGPIPE, SIG_IGN)
}()
