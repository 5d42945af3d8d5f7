import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// Text for a file descriptor (the log's stderr), gathered in memory and written in batches by a
/// thread of its own: a caller copies its line into a buffer under a lock and returns, with no
/// system call per line. The thread writes what has gathered a few milliseconds after the first
/// line of a batch arrives; `flush()` writes at once (before the ready line, at exit).
///
/// Nothing is dropped: past `limit` pending bytes (a reader that does not keep up), the caller
/// writes the batch itself, and so waits as an unbuffered stream would. Batches are written in
/// the order they were gathered, whoever writes them.
public final class BatchedOutput: TextOutputStream, @unchecked Sendable {
    private struct Pending {
        var bytes: [UInt8] = []
        var stopping = false
    }

    private let descriptor: Int32
    private let delayMilliseconds: Int
    private let limit: Int
    private let pending = LockedValue(Pending())
    /// Held while a batch is taken and written, so that batches keep their order.
    private let writing = LockedValue<[UInt8]>([])
    private let wake = DispatchSemaphore(value: 0)
    private let stop = DispatchSemaphore(value: 0)
    private var thread: OwnedThread?

    public init(descriptor: Int32, batchDelayMilliseconds: Int = 20, limit: Int = 1 << 20) throws(SystemError) {
        self.descriptor = descriptor
        self.delayMilliseconds = batchDelayMilliseconds
        self.limit = limit
        thread = try OwnedThread(name: "log-writer") { [self] in run() }
    }

    public func write(_ string: String) {
        var string = string
        string.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) {
        let (first, full) = pending.withLock { state in
            let first = state.bytes.isEmpty
            state.bytes.append(contentsOf: bytes)
            return (first, state.bytes.count >= limit || state.stopping)
        }
        if full {
            flush()
        } else if first {
            wake.signal()
        }
    }

    /// Writes everything gathered so far, from the calling thread.
    public func flush() {
        writing.withLock { batch in
            pending.withLock { swap(&$0.bytes, &batch) }
            writeAll(batch)
            batch.removeAll(keepingCapacity: true)
        }
    }

    /// Writes what is pending and stops the thread. Later writes are still written, at once.
    public func close() {
        pending.withLock { $0.stopping = true }
        wake.signal()
        stop.signal()
        thread?.join()
        flush()
    }

    private func run() {
        while true {
            wake.wait()
            if pending.withLock({ $0.stopping }) { return }
            // Let the lines of a burst gather (unless `close` comes first: it writes them).
            if stop.wait(timeout: .now() + .milliseconds(delayMilliseconds)) == .success { return }
            flush()
        }
    }

    private func writeAll(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    return  // a closed or failing stderr: nothing more can be told
                }
            }
        }
    }
}
