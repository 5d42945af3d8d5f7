import Synchronization

/// Listeners of a kind of event, told of each on the thread that publishes it (they must not
/// block). Publishing costs one atomic load while nobody listens.
public final class Broadcast<Event: Sendable>: Sendable {
    private let listeners = LockedValue<[Int: @Sendable (Event) -> Void]>([:])
    private let count = Atomic<Int>(0)
    private let nextID = Atomic<Int>(1)

    public init() {}

    /// Adds a listener; the id removes it.
    public func subscribe(_ listener: @escaping @Sendable (Event) -> Void) -> Int {
        let id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        listeners.withLock { listeners in
            listeners[id] = listener
            count.store(listeners.count, ordering: .releasing)
        }
        return id
    }

    public func unsubscribe(_ id: Int) {
        listeners.withLock { listeners in
            listeners.removeValue(forKey: id)
            count.store(listeners.count, ordering: .releasing)
        }
    }

    /// Whether anyone listens (to skip building an event nobody would get).
    public var hasListeners: Bool { count.load(ordering: .acquiring) > 0 }

    public func publish(_ event: @autoclosure () -> Event) {
        guard hasListeners else { return }
        let event = event()
        for listener in listeners.value.values { listener(event) }
    }
}
