import Platform

/// A change to the store, as listeners are told of it after it is applied.
public enum StoreChange: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case created, updated
    }

    case customer(integration: Int, domain: Domain, code: String, kind: Kind)
    /// Everything (`integration` nil) or one integration was replaced.
    case reset(integration: Int?)
}

/// Listeners of store changes.
public typealias ChangeFeed = Broadcast<StoreChange>
