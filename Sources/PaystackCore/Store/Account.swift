/// What a secret key opens: one integration, in one domain.
public struct Account: Sendable {
    public let store: CustomerStore
    public let books: IntegrationBooks
    public let domain: Domain
    public var integration: Integration { books.integration }

    public init(store: CustomerStore, books: IntegrationBooks, domain: Domain) {
        self.store = store
        self.books = books
        self.domain = domain
    }

    /// Runs `body` on this integration's ledgers under their lock. When a reset replaced them since
    /// the account was looked up, it runs on the new ones (so nothing acknowledged is lost); when the
    /// integration is gone (a new state without it), the key no longer opens anything.
    func write<Result>(_ body: (_ own: inout Ledger, _ other: Ledger) throws(StoreError) -> Result) throws(StoreError) -> Result {
        var books = self.books
        while true {
            if let result = try books.write(domain, body) { return result }
            guard let current = store.books(of: books.integration.id) else { throw StoreError.integrationRemoved }
            books = current
        }
    }

    func read<Result>(_ body: (_ own: Ledger, _ other: Ledger) throws(StoreError) -> Result) throws(StoreError) -> Result {
        let domain = self.domain
        return try books.read { (test, live) throws(StoreError) in
            domain == .test ? try body(test, live) : try body(live, test)
        }
    }
}
