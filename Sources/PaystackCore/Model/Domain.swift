/// Paystack's two modes: a `sk_test_` key works in `test`, a `sk_live_` key in `live`.
public enum Domain: String, Sendable, CaseIterable, Hashable {
    case test, live

    /// The other domain of the same integration.
    public var other: Domain { self == .test ? .live : .test }
}

/// A customer's risk action: `allow` whitelists, `deny` blacklists.
public enum RiskAction: String, Sendable, CaseIterable {
    case `default`, allow, deny
}
