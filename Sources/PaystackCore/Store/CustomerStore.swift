import Platform
import Synchronization

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
    /// Counts replacements of `registry`: a thread's cached account is good while this is unchanged.
    private let registryVersion = Atomic(0)
    /// This store among all of the process's, ever (a thread's cached account names its store by it).
    private let identity = CustomerStore.identities.add(1, ordering: .relaxed).newValue
    private static let identities = Atomic(0)
    private let nextID: Atomic<Int>
    public let clock: ServerClock
    public let random: RandomSource
    /// Where changes go before they are applied (`--state-file`); nil keeps them in memory only.
    public let stateLog: StateLog?
    /// Told of every change, after it is applied (the dashboard's live view listens).
    public let changes = ChangeFeed()

    /// Builds the store from a seed; ids of new customers continue after the seed's highest.
    public init(seed: SeedData, clock: ServerClock = ServerClock(), random: RandomSource = RandomSource(), stateLog: StateLog? = nil) {
        self.clock = clock
        self.random = random
        self.stateLog = stateLog
        self.registry = LockedValue(Registry(books: Self.books(of: seed), order: seed.integrations.map(\.id)))
        self.nextID = Atomic(seed.highestCustomerID + 1)
    }

    private static func books(of seed: SeedData) -> [Int: IntegrationBooks] {
        var books: [Int: IntegrationBooks] = [:]
        for integration in seed.integrations {
            let ledgers = seed.ledgers(of: integration.id)
            books[integration.id] = IntegrationBooks(integration: integration, test: ledgers.test, live: ledgers.live)
        }
        return books
    }

    // MARK: Looking up

    public var integrations: [Integration] {
        let registry = registry.value
        return registry.order.compactMap { registry.books[$0]?.integration }
    }

    public func books(of integration: Int) -> IntegrationBooks? {
        registry.value.books[integration]
    }

    /// Customers in every integration and domain.
    public var customerCount: Int {
        registry.value.books.values.reduce(0) { total, books in
            let counts = books.counts
            return total + counts.test + counts.live
        }
    }

    /// The account a secret key opens. Public keys open nothing. Keys are compared in constant
    /// time, so the time taken says nothing about how much of a key was right.
    public func account(forSecretKey candidate: String) -> Account? {
        var candidate = candidate
        return candidate.withUTF8 { account(forSecretKey: $0) }
    }

    /// The account whose secret key is `candidate`'s bytes.
    ///
    /// Each thread keeps the last key it found and its account: a client sends the same key on
    /// every request, and the lookup (the registry's lock, a seeded hash of the key, the table)
    /// was ~1,000 instructions of every request. The cached key is compared in constant time too.
    public func account(forSecretKey candidate: UnsafeBufferPointer<UInt8>) -> Account? {
        let version = registryVersion.load(ordering: .acquiring)
        let last = Self.lastKeys.value
        if last.version == version, last.store == identity, let books = last.books,
           last.key.withUnsafeBufferPointer({ constantTimeEquals($0, candidate) }) {
            return Account(store: self, books: books, domain: last.domain)
        }
        let registry = registry.value
        guard let entries = registry.accounts[Registry.hash(candidate)] else { return nil }
        var match: Account?
        for entry in entries where entry.key.withUnsafeBufferPointer({ constantTimeEquals($0, candidate) }) {
            match = Account(store: self, books: entry.books, domain: entry.domain)
        }
        if let match {
            // The version read before the registry: a replacement in between leaves it stale.
            last.store = identity
            last.books = match.books
            last.domain = match.domain
            last.version = version
            last.key = Array(candidate)
        }
        return match
    }

    /// A thread's last found key (see `account(forSecretKey:)`). The store by its `identity`, not
    /// by reference: a thread that outlives a server (a test's, the MCP stdio thread) must not keep
    /// the store alive, with its state file's lock. (Weak references made every retain and release
    /// of the store and the books take the runtime's slow path, ~1,000 instructions a request.)
    /// The books a reset replaced stay alive until the thread's next key is found.
    private final class LastKey {
        var store = -1
        var books: IntegrationBooks?
        var domain = Domain.test
        var version = -1
        var key: [UInt8] = []
    }

    private static let lastKeys = ThreadLocal { LastKey() }

    /// The account of an integration in a domain, when it has a secret key there.
    public func account(integration: Int, domain: Domain) -> Account? {
        guard let books = books(of: integration), books.integration.secretKeys[domain] != nil else { return nil }
        return Account(store: self, books: books, domain: domain)
    }

    // MARK: Replacing

    /// Replaces everything with `seed` (a reset, or a new state), logging `record` first. Every
    /// integration's lock is held meanwhile, so no write falls between the log and the swap, and a
    /// write that waited goes to the new books (`Account.write`). With `restartingIDs`, new ids
    /// start again after the seed's.
    public func replaceAll(with seed: SeedData, restartingIDs: Bool, record: [UInt8]? = nil) throws(StoreError) {
        let current = registry.value
        try holdingEveryLock(current.order.compactMap { current.books[$0] }) { () throws(StoreError) in
            if let record { try commit(record) }
            load(seed, restartingIDs: restartingIDs)
        }
        changes.publish(.reset(integration: nil))
    }

    /// Swaps in `seed`'s books; callers hold every lock, or run before any request (recovery).
    func load(_ seed: SeedData, restartingIDs: Bool) {
        let replacement = Registry(books: Self.books(of: seed), order: seed.integrations.map(\.id))
        registry.withLock {
            $0 = replacement
            registryVersion.add(1, ordering: .releasing)
        }
        let highest = seed.highestCustomerID
        let next = restartingIDs ? highest + 1 : max(highest + 1, nextID.load(ordering: .relaxed))
        nextID.store(next, ordering: .relaxed)
    }

    /// Replaces one integration's customers (both domains), logging `record` first, in one critical section.
    public func replaceCustomers(of books: IntegrationBooks, test: Ledger, live: Ledger, record: [UInt8]? = nil) throws(StoreError) {
        try books.withExclusiveAccess(retiring: false) { (state) throws(StoreError) in
            if let record { try commit(record) }
            state.test = test
            state.live = live
        }
        changes.publish(.reset(integration: books.integration.id))
    }

    /// Locks each of `books` in turn (by integration id, as every caller does), runs `body` with all held, and retires them.
    private func holdingEveryLock(_ books: [IntegrationBooks], _ body: () throws(StoreError) -> Void) throws(StoreError) {
        let sorted = books.sorted { $0.integration.id < $1.integration.id }
        func lock(from index: Int) throws(StoreError) {
            guard index < sorted.count else { return try body() }
            try sorted[index].withExclusiveAccess(retiring: true) { (_) throws(StoreError) in try lock(from: index + 1) }
        }
        try lock(from: 0)
    }

    /// Adds an empty integration for each `--secret-key` the store does not know (a state file
    /// read back at start-up predates keys first given on this start).
    public func addIntegrations(forSecretKeys keys: [String]) throws(SeedError) {
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
            registryVersion.add(1, ordering: .releasing)
        }
    }

    // MARK: Changing

    /// Writes a change to the state log and flushes it (nothing without one). Called before the change
    /// is applied, under the lock of what it changes: a change the disk refused is not applied.
    func commit(_ record: @autoclosure () -> [UInt8]) throws(StoreError) {
        guard let stateLog else { return }
        do {
            try stateLog.commit(record())
        } catch {
            throw StoreError.persistenceFailed(error)
        }
    }

    /// Puts a customer read back from the state log in place: replaces the one with its code, or
    /// appends it. A record that contradicts the store (an older id, a taken email) is an error.
    func restore(_ customer: Customer, label: String) throws(SeedError) {
        guard let books = books(of: customer.integration) else { return }
        let problem = try? books.write(customer.domain) { (ledger, _) throws(StoreError) -> String? in ledger.upsert(customer) }
        if let problem, let problem { throw SeedError("\(label): customer \(customer.customerCode): \(problem)") }
        if nextID.load(ordering: .relaxed) <= customer.id { nextID.store(customer.id + 1, ordering: .relaxed) }
    }

    /// A new customer id: larger than every id given before.
    func allocateID() -> Int {
        nextID.wrappingAdd(1, ordering: .relaxed).oldValue
    }
}
