import Platform
import Synchronization

/// A response that stays open and carries events as they happen (Server-Sent Events, written as
/// libevent chunked replies). The application makes one per `GET` of an event route and sends to it
/// from any thread; the event loop that owns the connection writes what was sent, without blocking.
/// A stream ends when the client goes, when `finish` is called, or when the server stops;
/// `onClose` then runs once (on the loop's thread), for the application to stop sending.
public final class EventStream: Sendable {
    private struct State {
        var pending: [UInt8] = []
        var finished = false
        var closed = false
        var wake: (@Sendable () -> Void)?
        var onClose: (@Sendable () -> Void)?
    }

    private let state = LockedValue(State())

    public init() {}

    /// Runs once when the stream ends, whoever ends it.
    public func onClose(_ action: @escaping @Sendable () -> Void) {
        let closedAlready = state.withLock { state -> Bool in
            if state.closed { return true }
            state.onClose = action
            return false
        }
        if closedAlready { action() }
    }

    /// Queues `bytes` and wakes the owning loop; dropped once the stream is closed.
    public func send(_ bytes: [UInt8]) {
        let wake: (@Sendable () -> Void)? = state.withLock { state in
            guard !state.closed, !state.finished else { return nil }
            let wasEmpty = state.pending.isEmpty
            state.pending.append(contentsOf: bytes)
            return wasEmpty ? state.wake : nil
        }
        wake?()
    }

    /// One Server-Sent Event, `event: NAME` and its `data:` lines, ready to send (built once for
    /// every stream it goes to).
    public static func frame(event name: String, data: [UInt8]) -> [UInt8] {
        var frame = Array("event: \(name)\n".utf8)
        frame.reserveCapacity(frame.count + data.count + 16)
        var lineStart = 0
        for index in data.indices where data[index] == UInt8(ascii: "\n") {
            frame += "data: ".utf8
            frame += data[lineStart...index]
            lineStart = index + 1
        }
        frame += "data: ".utf8
        frame += data[lineStart...]
        frame += "\n\n".utf8
        return frame
    }

    /// Ends the stream after what is queued.
    public func finish() {
        let wake = state.withLock { state -> (@Sendable () -> Void)? in
            state.finished = true
            return state.wake
        }
        wake?()
    }

    public var isClosed: Bool { state.withLock { $0.closed } }

    // MARK: For the loop that owns it

    /// Attaches the stream to its loop: `wake` asks the loop to write (thread-safe).
    func attach(wake: @escaping @Sendable () -> Void) {
        state.withLock { $0.wake = wake }
    }

    /// What to write now, and whether the stream is to end after it.
    func take() -> (bytes: [UInt8], finished: Bool) {
        state.withLock { state in
            defer { state.pending.removeAll(keepingCapacity: true) }
            return (state.pending, state.finished)
        }
    }

    /// Marks it closed and runs `onClose` (once).
    func close() {
        let action = state.withLock { state -> (@Sendable () -> Void)? in
            guard !state.closed else { return nil }
            state.closed = true
            state.pending.removeAll()
            defer { state.onClose = nil; state.wake = nil }
            return state.onClose
        }
        action?()
    }
}
