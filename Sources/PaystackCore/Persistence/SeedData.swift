/// A complete state: integrations, and customers with their authorizations. What `--seed-data` loads.
public struct SeedData: Sendable {
    public var integrations: [Integration]
    private var ledgersByIntegration: [Int: LedgerPair] = [:]
    public private(set) var customerCount = 0
    /// The highest customer id, 0 without customers: new ids continue after it.
    public private(set) var highestCustomerID = 0
    /// The latest `createdAt` of any customer.
    public private(set) var newestCreatedAt: Timestamp?

    /// Every customer, by integration then domain, each ledger's in id order.
    public var customers: [Customer] {
        ledgersByIntegration.keys.sorted().flatMap { id in
            [ledgersByIntegration[id]!.test.customers, ledgersByIntegration[id]!.live.customers].joined()
        }
    }

    struct LedgerPair {
        var test = Ledger()
        var live = Ledger()
    }

    /// Builds the ledgers; `source` names the customers' file in messages. Throws when a code
    /// repeats within an integration, or an email within a domain.
    public init(integrations: [Integration], customers: consuming [Customer], source: String = "customers") throws(SeedError) {
        self.integrations = integrations
        if !customers.indices.dropFirst().allSatisfy({ customers[$0 - 1].id < customers[$0].id }) {
            customers.sort { $0.id < $1.id }
        }
        customerCount = customers.count
        highestCustomerID = customers.last?.id ?? 0
        var sizes: [Int: (test: Int, live: Int)] = [:]
        for index in customers.indices {
            if customers[index].domain == .test {
                sizes[customers[index].integration, default: (0, 0)].test += 1
            } else {
                sizes[customers[index].integration, default: (0, 0)].live += 1
            }
        }
        for (integration, size) in sizes {
            var pair = LedgerPair()
            pair.test.reserveCapacity(size.test)
            pair.live.reserveCapacity(size.live)
            ledgersByIntegration[integration] = pair
        }
        // Moved out one by one (popLast, after reversing) rather than copied and released.
        customers.reverse()
        while let customer = customers.popLast() {
            newestCreatedAt = max(newestCreatedAt ?? customer.createdAt, customer.createdAt)
            // Mutated in place: reading the ledgers out and storing them back would copy them per customer.
            try Self.add(customer, to: &ledgersByIntegration[customer.integration, default: LedgerPair()], source: source)
        }
    }

    private static func add(_ customer: Customer, to pair: inout LedgerPair, source: String) throws(SeedError) {
        let other = customer.domain == .test ? pair.live : pair.test
        if other.index(ofCode: customer.customerCode) != nil {
            throw duplicate(customer, "customer_code", source: source)
        }
        switch customer.domain {
        case .test: try append(customer, to: &pair.test, source: source)
        case .live: try append(customer, to: &pair.live, source: source)
        }
    }

    private static func append(_ customer: Customer, to ledger: inout Ledger, source: String) throws(SeedError) {
        switch ledger.appendIfNew(customer) {
        case .appended: break
        case .duplicateCode: throw duplicate(customer, "customer_code", source: source)
        case .duplicateEmail: throw duplicate(customer, "email", source: source)
        }
    }

    private static func duplicate(_ customer: Customer, _ field: String, source: String) -> SeedError {
        let value = field == "email" ? customer.email : customer.customerCode
        return SeedError(
            "\(source): customer \(customer.customerCode): field \"\(field)\": \(value) appears twice in integration \(customer.integration)")
    }

    public func ledgers(of integration: Int) -> (test: Ledger, live: Ledger) {
        let pair = ledgersByIntegration[integration] ?? LedgerPair()
        return (pair.test, pair.live)
    }

    /// Adds an integration for each `--secret-key` not already known; its domain comes from the
    /// key's prefix. Throws a readable message for a key of neither prefix.
    public mutating func addIntegrations(forSecretKeys keys: [String]) throws(SeedError) {
        var nextID = (integrations.map(\.id).max() ?? 100_000) + 1
        for key in keys {
            if integrations.contains(where: { $0.secretKeys.values.contains(key) }) { continue }
            let domain: Domain
            if !key.isASCIIToken {
                throw SeedError("--secret-key: a secret key is printable ASCII without spaces")
            } else if key.hasBytePrefix("sk_test_") {
                domain = .test
            } else if key.hasBytePrefix("sk_live_") {
                domain = .live
            } else {
                throw SeedError("--secret-key \(key.prefix(8))…: a secret key starts with sk_test_ or sk_live_")
            }
            integrations.append(Integration(
                id: nextID, businessName: "Command-line integration \(nextID)", secretKeys: [domain: key]))
            nextID += 1
        }
    }
}

/// Why seed data could not be loaded, naming the file, the record and the field.
public struct SeedError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
