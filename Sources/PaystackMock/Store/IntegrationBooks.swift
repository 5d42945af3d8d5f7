import EventHTTP

/// Both ledgers of one integration behind one lock: a code or email is checked against the other
/// domain (for Paystack's "invalid for your … domain" answers) in the same critical section.
public final class IntegrationBooks: Sendable {
    struct Ledgers {
        var test: Ledger
        var live: Ledger
    }

    public let integration: Integration
    private let ledgers: LockedValue<Ledgers>

    init(integration: Integration, test: Ledger = Ledger(), live: Ledger = Ledger()) {
        self.integration = integration
        self.ledgers = LockedValue(Ledgers(test: test, live: live))
    }

    func read<Result>(_ body: (_ test: Ledger, _ live: Ledger) throws(PaystackError) -> Result) throws(PaystackError) -> Result {
        let result: Swift.Result<Result, PaystackError> = ledgers.withLock { ledgers in
            do throws(PaystackError) {
                return .success(try body(ledgers.test, ledgers.live))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Runs `body` with the domain's ledger to change and the other domain's to read.
    func write<Result>(_ domain: Domain, _ body: (_ own: inout Ledger, _ other: Ledger) throws(PaystackError) -> Result) throws(PaystackError) -> Result {
        let result: Swift.Result<Result, PaystackError> = ledgers.withLock { ledgers in
            do throws(PaystackError) {
                switch domain {
                case .test: return .success(try body(&ledgers.test, ledgers.live))
                case .live: return .success(try body(&ledgers.live, ledgers.test))
                }
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Replaces both ledgers at once.
    public func replaceLedgers(test: Ledger, live: Ledger) {
        ledgers.withLock { $0 = Ledgers(test: test, live: live) }
    }

    /// Copies of both ledgers, e.g. for export.
    func snapshot() -> (test: Ledger, live: Ledger) {
        ledgers.withLock { ($0.test, $0.live) }
    }
}
