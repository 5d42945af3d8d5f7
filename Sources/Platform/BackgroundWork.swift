import Dispatch

/// Work started on another thread at once; `wait()` blocks until it is done and returns its result.
/// (Seed loading reads the second half of a large file this way.)
public final class BackgroundWork<Output: Sendable>: @unchecked Sendable {
    // Written once by the worker before it signals; read only after waiting.
    private var output: Output?
    private let done = DispatchSemaphore(value: 0)
    private var waited = false

    public init(_ work: @escaping @Sendable () -> Output) {
        DispatchQueue.global().async {
            self.output = work()
            self.done.signal()
        }
    }

    public func wait() -> Output {
        if !waited {
            done.wait()
            waited = true
        }
        return output!
    }
}
