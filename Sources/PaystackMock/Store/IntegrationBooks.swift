import EventHTTP

/// Both ledgers of one integration behind one lock: a code or email is checked against the other
/// domain (for Paystack's "invalid for your … domain" answers) in the same critical section.
public final class IntegrationBooks: Sendable {
    public let integration: Integration
    private let ledgers: LockedValue<[Ledger]>  // indexed by Domain.index

    init(integration: Integration, test: Ledger = Ledger(), live: Ledger = Ledger()) {
        self.integration = integration
        self.ledgers = LockedValue([test, live])
    }

    func read<Result>(_ body: (_ test: Ledger, _ live: Ledger) throws(PaystackError) -> Result) throws(PaystackError) -> Result {
        let result: Swift.Result<Result, PaystackError> = ledgers.withLock { ledgers in
            do throws(PaystackError) {
                return .success(try body(ledgers[0], ledgers[1]))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    func write<Result>(_ domain: Domain, _ body: (_ own: inout Ledger, _ other: Ledger) throws(PaystackError) -> Result) throws(PaystackError) -> Result {
        let result: Swift.Result<Result, PaystackError> = ledgers.withLock { ledgers in
            let own = domain.index, other = domain.other.index
            let sibling = ledgers[other]
            do throws(PaystackError) {
                return .success(try body(&ledgers[own], sibling))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Replaces both ledgers at once.
    func replaceLedgers(test: Ledger, live: Ledger) {
        ledgers.withLock { $0 = [test, live] }
    }

    /// Copies of both ledgers, e.g. for export.
    func snapshot() -> (test: Ledger, live: Ledger) {
        ledgers.withLock { ($0[0], $0[1]) }
    }
}

extension Domain {
    var index: Int { self == .test ? 0 : 1 }
}
