import EventHTTP

/// A complete state: integrations, and customers with their authorizations. What `--seed-data` loads.
public struct SeedData: Sendable {
    public var integrations: [Integration]
    /// Every customer of every integration and domain, each ledger's in id order.
    public private(set) var customers: [Customer]
    private var ledgersByIntegration: [Int: (test: Ledger, live: Ledger)] = [:]

    public init(integrations: [Integration], customers: [Customer]) {
        self.integrations = integrations
        self.customers = customers.sorted { $0.id < $1.id }
        for customer in self.customers {
            var ledgers = ledgersByIntegration[customer.integration] ?? (Ledger(), Ledger())
            if customer.domain == .test { ledgers.test.append(customer) } else { ledgers.live.append(customer) }
            ledgersByIntegration[customer.integration] = ledgers
        }
    }

    func ledgers(of integration: Int) -> (test: Ledger, live: Ledger) {
        ledgersByIntegration[integration] ?? (Ledger(), Ledger())
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
