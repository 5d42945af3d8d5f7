import Platform
import Synchronization

/// A change to the store, as listeners are told of it after it is applied.
public enum StoreChange: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case created, updated
    }

    case customer(integration: Int, domain: Domain, code: String, kind: Kind)
    /// Everything (`integration` nil) or one integration was replaced.
    case reset(integration: Int?)
}

/// Listeners of store changes. A change costs one atomic load while nobody listens.
public final class ChangeFeed: Sendable {
    private let listeners = LockedValue<[Int: @Sendable (StoreChange) -> Void]>([:])
    private let count = Atomic<Int>(0)
    private let nextID = Atomic<Int>(1)

    public init() {}

    /// Adds a listener, called on the thread that made each change (it must not block); the id removes it.
    public func subscribe(_ listener: @escaping @Sendable (StoreChange) -> Void) -> Int {
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

    public func publish(_ change: @autoclosure () -> StoreChange) {
        guard count.load(ordering: .acquiring) > 0 else { return }
        let change = change()
        for listener in listeners.value.values { listener(change) }
    }
}
