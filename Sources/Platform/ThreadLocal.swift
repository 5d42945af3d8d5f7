import Glibc

/// An object of each thread's own, made on the thread's first use and released when the thread
/// ends: for caches a thread reads and writes without a lock. Each `ThreadLocal` takes one
/// `pthread_key_t` (a process has about a thousand), so make them `static` or global.
public final class ThreadLocal<Value: AnyObject>: Sendable {
    private let key: pthread_key_t
    private let make: @Sendable () -> Value

    public init(_ make: @escaping @Sendable () -> Value) {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { pointer in
            if let pointer { Unmanaged<AnyObject>.fromOpaque(pointer).release() }
        }
        precondition(status == 0, "pthread_key_create: \(status)")
        self.key = key
        self.make = make
    }

    /// This thread's object.
    public var value: Value {
        if let pointer = pthread_getspecific(key) {
            return Unmanaged<Value>.fromOpaque(pointer).takeUnretainedValue()
        }
        let value = make()
        pthread_setspecific(key, Unmanaged.passRetained(value as AnyObject).toOpaque())
        return value
    }
}
