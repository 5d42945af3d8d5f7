import EventHTTP
import Synchronization

/// What a secret key opens: one integration, in one domain.
public struct Account: Sendable {
    public let store: CustomerStore
    public let books: IntegrationBooks
    public let domain: Domain
    public var integration: Integration { books.integration }
}

/// The whole in-memory state: integrations with their keys, and their customers.
public final class CustomerStore: Sendable {
    /// Immutable once built; replaced whole, so a request takes it with one retain.
    private final class Registry: Sendable {
        let books: [Int: IntegrationBooks]
        let order: [Int]
        /// The accounts secret keys open, under the (per-process seeded) hash of each key: a
        /// request's key is compared, in constant time, only with the keys that share its hash.
        /// Public keys open nothing and are not here.
        let accounts: [Int: [(key: [UInt8], books: IntegrationBooks, domain: Domain)]]

        init(books: [Int: IntegrationBooks] = [:], order: [Int] = []) {
            self.books = books
            self.order = order
            var accounts: [Int: [(key: [UInt8], books: IntegrationBooks, domain: Domain)]] = [:]
            for owner in books.values {
                for (domain, key) in owner.integration.secretKeys {
                    let bytes = Array(key.utf8)
                    accounts[bytes.withUnsafeBufferPointer(Registry.hash), default: []].append((bytes, owner, domain))
                }
            }
            self.accounts = accounts
        }

        static func hash(_ key: UnsafeBufferPointer<UInt8>) -> Int {
            var hasher = Hasher()
            hasher.combine(bytes: UnsafeRawBufferPointer(key))
            return hasher.finalize()
        }
    }

    private let registry: LockedValue<Registry>
    private let nextID: Atomic<Int>
    public let clock: ServerClock
    public let random: RandomSource
    /// Where changes go before they are acknowledged (`--state-file`); nil keeps them in memory only.
    public let stateLog: StateLog?

    /// Builds the store from a seed; ids of new customers continue after the seed's highest.
    public init(seed: SeedData, clock: ServerClock = ServerClock(), random: RandomSource = RandomSource(), stateLog: StateLog? = nil) {
        self.clock = clock
        self.random = random
        self.stateLog = stateLog
        self.registry = LockedValue(Registry())
        self.nextID = Atomic(1)
        load(seed)
    }

    /// Replaces everything with `seed`; with `restartingIDs`, new ids start again after the seed's.
    public func load(_ seed: SeedData, restartingIDs: Bool = false) {
        var books: [Int: IntegrationBooks] = [:]
        for integration in seed.integrations {
            let ledgers = seed.ledgers(of: integration.id)
            books[integration.id] = IntegrationBooks(integration: integration, test: ledgers.test, live: ledgers.live)
        }
        let registry = Registry(books: books, order: seed.integrations.map(\.id))
        let highest = seed.highestCustomerID
        self.registry.withLock { $0 = registry }
        let next = restartingIDs ? highest + 1 : max(highest + 1, nextID.load(ordering: .relaxed))
        nextID.store(next, ordering: .relaxed)
    }

    /// Adds an empty integration for each `--secret-key` the store does not know (a state file
    /// read back at start-up predates keys first given on this start).
    func addIntegrations(forSecretKeys keys: [String]) throws(SeedError) {
        var known = try SeedData(integrations: integrations, customers: [])
        try known.addIntegrations(forSecretKeys: keys)
        registry.withLock { registry in
            let added = known.integrations.filter { registry.books[$0.id] == nil }
            guard !added.isEmpty else { return }
            var books = registry.books
            for integration in added {
                books[integration.id] = IntegrationBooks(integration: integration)
            }
            registry = Registry(books: books, order: registry.order + added.map(\.id))
        }
    }

    public var integrations: [Integration] {
        let registry = registry.value
        return registry.order.compactMap { registry.books[$0]?.integration }
    }

    public func books(of integration: Int) -> IntegrationBooks? {
        registry.value.books[integration]
    }

    /// The integration a secret key belongs to, whatever its domain.
    public func integration(forSecretKey key: String) -> Integration? {
        account(forSecretKey: key)?.integration
    }

    /// Customers in every integration and domain.
    public var customerCount: Int {
        let registry = registry.value
        return registry.books.values.reduce(0) { total, books in
            let ledgers = books.snapshot()
            return total + ledgers.test.count + ledgers.live.count
        }
    }

    /// The account a secret key opens. Public keys open nothing. Keys are compared in constant
    /// time, so the time taken says nothing about how much of a key was right.
    public func account(forSecretKey candidate: String) -> Account? {
        var candidate = candidate
        return candidate.withUTF8 { account(forSecretKey: $0) }
    }

    /// The account whose secret key is `candidate`'s bytes.
    func account(forSecretKey candidate: UnsafeBufferPointer<UInt8>) -> Account? {
        let registry = registry.value
        guard let entries = registry.accounts[Registry.hash(candidate)] else { return nil }
        var match: Account?
        for entry in entries where constantTimeEquals(entry.key, candidate) {
            match = Account(store: self, books: entry.books, domain: entry.domain)
        }
        return match
    }

    /// Puts a customer read back from the state log in place: replaces the one with its code, or
    /// appends it. A record that contradicts the store (an older id, a taken email) is an error.
    func restore(_ customer: Customer, label: String) throws(SeedError) {
        guard let books = books(of: customer.integration) else { return }
        let problem: String? = try? books.write(customer.domain) { ledger, _ throws(PaystackError) -> String? in
            ledger.upsert(customer)
        }
        if let problem { throw SeedError("\(label): customer \(customer.customerCode): \(problem)") }
        if nextID.load(ordering: .relaxed) <= customer.id { nextID.store(customer.id + 1, ordering: .relaxed) }
    }

    /// Appends a change to the state log (nothing without one); the offset to `sync` before answering.
    func persist(_ record: () -> [UInt8]) throws(PaystackError) -> Int {
        guard let stateLog else { return 0 }
        return try stateLog.append(record())
    }

    /// Waits until the change at `offset` is on disk.
    func sync(_ offset: Int) throws(PaystackError) {
        try stateLog?.sync(upTo: offset)
    }

    /// A new customer id: larger than every id given before.
    func allocateID() -> Int {
        nextID.wrappingAdd(1, ordering: .relaxed).oldValue
    }
}

/// Equality whose time depends only on the lengths, never on where the first difference is.
/// Compares eight bytes at a time (every word is read; differences are only accumulated).
func constantTimeEquals(_ a: [UInt8], _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    a.withUnsafeBufferPointer { a in
        let common = min(a.count, b.count)
        var difference: UInt64 = a.count == b.count ? 0 : 1
        var index = 0
        if let left = a.baseAddress, let right = b.baseAddress {
            while index + 8 <= common {
                difference |= UnsafeRawPointer(left + index).loadUnaligned(as: UInt64.self)
                    ^ UnsafeRawPointer(right + index).loadUnaligned(as: UInt64.self)
                index += 8
            }
        }
        while index < common {
            difference |= UInt64(a[index] ^ b[index])
            index += 1
        }
        return difference == 0
    }
}
