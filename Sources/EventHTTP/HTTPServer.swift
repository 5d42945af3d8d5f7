import CLibevent
import Dispatch
import Platform
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// The owner of all event loops: `start` binds and starts them, `shutdown` stops them gracefully,
/// `wait` returns once every loop has finished.
public final class HTTPServer: @unchecked Sendable {
    public let configuration: HTTPServerConfiguration
    private let responder: any HTTPResponder
    private let logger: Logger
    private var listeners: [ListenerBox] = []
    private var workers: [EventLoopWorker] = []
    private var threads: [pthread_t] = []
    private let stopped = DispatchGroup()

    /// The port actually bound (differs from the configuration's when that is 0).
    public private(set) var port: Int = 0

    public init(configuration: HTTPServerConfiguration, responder: any HTTPResponder, logger: Logger) {
        self.configuration = configuration
        self.responder = responder
        self.logger = logger
    }

    /// Binds the socket and starts the loops; returns once all are accepting.
    public func start() throws {
        enableLibeventThreads
        let workerCount = max(1, configuration.workers)
        let first = ListenerBox(try Listener(host: configuration.host, port: configuration.port, reusePort: configuration.reusePort))
        port = first.listener.port
        listeners = [first]
        if configuration.reusePort {
            for _ in 1..<workerCount {
                listeners.append(ListenerBox(try Listener(host: configuration.host, port: port, reusePort: true)))
            }
        }
        let ready = DispatchGroup()
        let failure = LockedValue<SystemError?>(nil)
        for index in 0..<workerCount {
            let worker = EventLoopWorker(
                configuration: configuration, responder: responder, logger: logger,
                listenDescriptor: listeners[configuration.reusePort ? index : 0].listener.descriptor)
            workers.append(worker)
            ready.enter()
            stopped.enter()
            let start = LoopStart(worker: worker, ready: ready, stopped: stopped, failure: failure, index: index)
            var thread = pthread_t()
            let context = Unmanaged.passRetained(start).toOpaque()
            guard pthread_create(&thread, nil, runLoopThread, context) == 0 else {
                Unmanaged<LoopStart>.fromOpaque(context).release()
                ready.leave()
                stopped.leave()
                throw SystemError(call: "pthread_create", code: errno)
            }
            threads.append(thread)
        }
        ready.wait()
        if let problem = failure.value {
            shutdown()
            wait()
            throw problem
        }
    }

    /// From any thread: stop accepting, let in-flight answers finish, stop the loops.
    public func shutdown() {
        for worker in workers { worker.requestShutdown() }
    }

    /// Blocks until every loop has stopped; then the listening socket is closed.
    public func wait() {
        stopped.wait()
        for thread in threads { pthread_join(thread, nil) }
        threads.removeAll()
        listeners.removeAll()
    }
}

/// Owns a listening socket for the server's lifetime.
private final class ListenerBox {
    let listener: Listener

    init(_ listener: consuming Listener) {
        self.listener = listener
    }
}

/// libevent's locking must be on before any base exists, or a loop may not wake for shutdown.
private let enableLibeventThreads: Void = {
    evthread_use_pthreads()
    signal(SIGPIPE, SIG_IGN)
}()

private final class LoopStart: @unchecked Sendable {
    let worker: EventLoopWorker
    let ready: DispatchGroup
    let stopped: DispatchGroup
    let failure: LockedValue<SystemError?>
    let index: Int

    init(worker: EventLoopWorker, ready: DispatchGroup, stopped: DispatchGroup, failure: LockedValue<SystemError?>, index: Int) {
        self.worker = worker
        self.ready = ready
        self.stopped = stopped
        self.failure = failure
        self.index = index
    }
}

private func runLoopThread(_ context: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    guard let context else { return nil }
    let start = Unmanaged<LoopStart>.fromOpaque(context).takeRetainedValue()
    // Signals go to the thread that waits for them, never to a loop.
    var signals = sigset_t()
    sigfillset(&signals)
    pthread_sigmask(SIG_BLOCK, &signals, nil)
    do {
        try start.worker.setUp()
    } catch let error as SystemError {
        start.failure.withLock { $0 = $0 ?? error }
        start.ready.leave()
        start.stopped.leave()
        return nil
    } catch {
        start.ready.leave()
        start.stopped.leave()
        return nil
    }
    start.ready.leave()
    start.worker.run()
    start.stopped.leave()
    return nil
}
