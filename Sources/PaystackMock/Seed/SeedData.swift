import EventHTTP

/// A complete state: integrations, and customers with their authorizations. What `--seed-data` loads.
public struct SeedData: Sendable {
    public var integrations: [Integration]
    private var ledgersByIntegration: [Int: LedgerPair] = [:]
    public private(set) var customerCount = 0
    /// The highest customer id, 0 without customers: new ids continue after it.
    public private(set) var highestCustomerID = 0

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
    /// repeats within an integration, an email within a domain, or when a customer with a higher id
    /// was created earlier (lists rely on id order being creation order).
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
        for customer in customers {
            // Mutated in place: reading the ledgers out and storing them back would copy them per customer.
            try Self.add(customer, to: &ledgersByIntegration[customer.integration, default: LedgerPair()], source: source)
        }
    }

    private static func add(_ customer: Customer, to pair: inout LedgerPair, source: String) throws(SeedError) {
        let label = "\(source): customer \(customer.customerCode)"
        if pair.test.index(ofCode: customer.customerCode) != nil || pair.live.index(ofCode: customer.customerCode) != nil {
            throw SeedError("\(label): field \"customer_code\": appears twice in integration \(customer.integration)")
        }
        try customer.domain == .test ? check(customer, against: pair.test, label: label) : check(customer, against: pair.live, label: label)
        switch customer.domain {
        case .test: pair.test.append(customer)
        case .live: pair.live.append(customer)
        }
    }

    private static func check(_ customer: Customer, against ledger: Ledger, label: String) throws(SeedError) {
        if ledger.index(ofEmail: customer.email) != nil {
            throw SeedError("\(label): field \"email\": \(customer.email) appears twice in integration \(customer.integration) (\(customer.domain.rawValue))")
        }
        if let last = ledger.customers.last, last.createdAt > customer.createdAt {
            throw SeedError(
                "\(label): field \"createdAt\": earlier than that of customer \(last.customerCode), which has a lower id; ids must follow creation order")
        }
    }

    func ledgers(of integration: Int) -> (test: Ledger, live: Ledger) {
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
            if key.hasPrefix("sk_test_") {
                domain = .test
            } else if key.hasPrefix("sk_live_") {
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
