import Platform

/// Both ledgers of one integration behind one lock: a code or email is checked against the other
/// domain (for Paystack's "invalid for your … domain" answers) in the same critical section.
///
/// A reset replaces the books of every integration; the old ones are then `retired`, and a write
/// that reaches retired books is done again on the new ones (`Account.write`), never lost.
public final class IntegrationBooks: Sendable {
    struct State {
        var test: Ledger
        var live: Ledger
        var retired = false
    }

    public let integration: Integration
    private let state: LockedValue<State>

    init(integration: Integration, test: Ledger = Ledger(), live: Ledger = Ledger()) {
        self.integration = integration
        self.state = LockedValue(State(test: test, live: live))
    }

    func read<Result>(_ body: (_ test: Ledger, _ live: Ledger) throws(StoreError) -> Result) throws(StoreError) -> Result {
        try state.withLock { (state) throws(StoreError) in try body(state.test, state.live) }
    }

    /// Runs `body` with the domain's ledger to change and the other domain's to read; nil, without
    /// running it, when these books were retired by a reset.
    func write<Result>(
        _ domain: Domain, _ body: (_ own: inout Ledger, _ other: Ledger) throws(StoreError) -> Result
    ) throws(StoreError) -> Result? {
        try state.withLock { (state) throws(StoreError) -> Result? in
            guard !state.retired else { return nil }
            switch domain {
            case .test: return try body(&state.test, state.live)
            case .live: return try body(&state.live, state.test)
            }
        }
    }

    /// Runs `body` while holding the lock; `retire` then marks these books replaced.
    func withExclusiveAccess<Result, Failure: Error>(
        retiring retire: Bool, _ body: (inout State) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try state.withLock { (state) throws(Failure) -> Result in
            let result = try body(&state)
            if retire { state.retired = true }
            return result
        }
    }

    /// Runs `body` on one ledger under the lock, retired or not: for upkeep that changes no
    /// customer (the list-item cache).
    func withLedger<Result>(_ domain: Domain, _ body: (inout Ledger) -> Result) -> Result {
        state.withLock { state in
            domain == .test ? body(&state.test) : body(&state.live)
        }
    }

    /// Copies of both ledgers, e.g. for export.
    func snapshot() -> (test: Ledger, live: Ledger) {
        state.withLock { ($0.test, $0.live) }
    }

    /// The customers of one domain, in id order: a copy taken under the lock (it shares the
    /// ledger's chunks; the next write copies the one chunk it touches).
    public func customers(of domain: Domain) -> ChunkedArray<Customer> {
        state.withLock { domain == .test ? $0.test.customers : $0.live.customers }
    }

    /// Customers in each domain.
    public var counts: (test: Int, live: Int) {
        state.withLock { ($0.test.count, $0.live.count) }
    }
}
