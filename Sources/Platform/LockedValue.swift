#if canImport(Glibc)
import Glibc
#endif

/// A value behind a mutex, shareable across threads: the one lock type of the project.
///
/// A glibc adaptive mutex (spins briefly, then sleeps) rather than `Synchronization.Mutex`, whose
/// Linux implementation is a priority-inheritance futex that enters the kernel on every contended
/// acquire: measured with two loops creating customers in one integration, about 32 → 30 µs of
/// server CPU per request.
public final class LockedValue<Value>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var stored: Value

    public init(_ value: Value) {
        stored = value
        mutex = .allocate(capacity: 1)
        var attributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&attributes)
        pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_ADAPTIVE_NP))
        pthread_mutex_init(mutex, &attributes)
        pthread_mutexattr_destroy(&attributes)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    public func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&stored)
    }

    public var value: Value { withLock { $0 } }
}
