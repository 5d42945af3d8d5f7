#if canImport(Glibc)
import Glibc
#endif

/// A thread that its owner starts and must join: no detached threads, and a failure to start is
/// an error, not a silently missing thread.
public final class OwnedThread: @unchecked Sendable {
    // Set once in `init`, read only by `join` on the owner's thread.
    private var thread = pthread_t()
    private var joined = false

    /// Starts `body` on a new thread with every signal blocked (signals go to the thread that
    /// waits for them, never to a loop).
    public init(name: String, _ body: @escaping @Sendable () -> Void) throws(SystemError) {
        let box = Unmanaged.passRetained(Body(name: name, body)).toOpaque()
        let status = pthread_create(&thread, nil, { context in
            let body = Unmanaged<Body>.fromOpaque(context!).takeRetainedValue()
            var signals = sigset_t()
            sigfillset(&signals)
            pthread_sigmask(SIG_BLOCK, &signals, nil)
            body.run()
            return nil
        }, box)
        guard status == 0 else {
            Unmanaged<Body>.fromOpaque(box).release()
            // pthread_create answers its error instead of setting errno.
            throw SystemError(call: "pthread_create(\(name))", code: status)
        }
    }

    /// Waits for the thread to end. Once; later calls return at once.
    public func join() {
        guard !joined else { return }
        joined = true
        pthread_join(thread, nil)
    }

    /// Whether the calling thread is this one.
    public var isCurrent: Bool { pthread_equal(thread, pthread_self()) != 0 }

    private final class Body {
        let name: String
        let run: @Sendable () -> Void
        init(name: String, _ run: @escaping @Sendable () -> Void) {
            self.name = name
            self.run = run
        }
    }
}

/// Threads of this process (from /proc/self/task), for tests that check nothing is left running.
public func processThreadCount() -> Int {
    guard let directory = opendir("/proc/self/task") else { return -1 }
    defer { closedir(directory) }
    var count = 0
    while let entry = readdir(directory) {
        if entry.pointee.d_name.0 != UInt8(ascii: ".") { count += 1 }
    }
    return count
}
