import Platform
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The server's notion of now. Real time unless set or frozen (the sandbox clock controls this).
/// Lock-free: every create and update reads it, on every loop.
public final class ServerClock: Sendable {
    /// Seconds added to the system clock.
    private let offset = Atomic<Int64>(0)
    /// The frozen time, or `Int64.min` while the clock runs.
    private let frozenAt = Atomic<Int64>(Int64.min)

    /// Told of every change made to the clock (set, advanced, frozen or started), with its new now.
    public let changes = Broadcast<Timestamp>()

    public init() {}

    public func now() -> Timestamp {
        let frozen = frozenAt.load(ordering: .acquiring)
        if frozen != Int64.min { return Timestamp(seconds: frozen) }
        return Timestamp(seconds: Self.systemSeconds() + offset.load(ordering: .relaxed))
    }

    /// Sets now to `timestamp`, keeping the clock running (or frozen) from there.
    public func set(_ timestamp: Timestamp) {
        if isFrozen {
            frozenAt.store(timestamp.seconds, ordering: .releasing)
        } else {
            offset.store(timestamp.seconds - Self.systemSeconds(), ordering: .relaxed)
        }
        changes.publish(timestamp)
    }

    public func advance(bySeconds seconds: Int64) {
        set(Timestamp(seconds: now().seconds + seconds))
    }

    /// Stops the clock at `timestamp`.
    public func freeze(at timestamp: Timestamp) {
        frozenAt.store(timestamp.seconds, ordering: .releasing)
        changes.publish(timestamp)
    }

    public func freeze() {
        freeze(at: now())
    }

    public func unfreeze() {
        let current = now().seconds
        offset.store(current - Self.systemSeconds(), ordering: .relaxed)
        frozenAt.store(Int64.min, ordering: .releasing)
        changes.publish(Timestamp(seconds: current))
    }

    public var isFrozen: Bool { frozenAt.load(ordering: .acquiring) != Int64.min }

    static func systemSeconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec)
    }
}
