import EventHTTP
import JSON
import PaystackCore
import Synchronization

/// Resolves accepted identifications after `--kyc-delay`, on the background loop: decides the
/// outcome, updates the customer on success, and sends the `customeridentification.*` webhook.
public final class IdentificationOutcomes: Sendable {
    /// Paystack's documented test credential: it succeeds in both domains.
    public static let testCredential = (accountNumber: "0111111111", bvn: "222222222221", bankCode: "007")
    /// Account numbers that fail with each of Paystack's three reasons, in both domains.
    public static let failingAccounts: [(accountNumber: String, reason: String)] = [
        ("0000000001", "Account couldn't be resolved. Please try again"),
        ("0000000002", "Account name or BVN is incorrect"),
        ("0000000003", "Account number or BVN is incorrect"),
    ]
    public static let defaultFailure = "Account number or BVN is incorrect"

    public enum Outcome: Sendable, Equatable {
        case success
        case failed(reason: String)
    }

    let store: CustomerStore
    let webhooks: WebhookDispatcher
    let options: WebhookOptions
    private let loop: BackgroundLoop
    private let undecided = Atomic<Int>(0)

    /// Identifications accepted whose outcome is not decided yet.
    public var pending: Int { undecided.load(ordering: .relaxed) }

    public init(store: CustomerStore, webhooks: WebhookDispatcher, options: WebhookOptions, loop: BackgroundLoop) {
        self.store = store
        self.webhooks = webhooks
        self.options = options
        self.loop = loop
    }

    /// Called when `POST /customer/{x}/identification` has answered 202.
    public func accept(_ request: PendingIdentification) {
        undecided.wrappingAdd(1, ordering: .relaxed)
        loop.schedule(afterMilliseconds: options.kycDelayMilliseconds) { [self] in
            undecided.wrappingSubtract(1, ordering: .relaxed)
            resolve(request)
        }
    }

    /// The README's table: the test credential succeeds; the three magic account numbers fail with
    /// their reasons; anything else fails in the test domain and succeeds in the live domain.
    /// `--kyc-outcome success|failed` overrides (a failure keeps a magic number's reason).
    public static func decide(_ request: PendingIdentification, mode: KYCOutcomeMode) -> Outcome {
        let submission = request.submission
        let magic = failingAccounts.first { $0.accountNumber == submission.accountNumber }?.reason
        switch mode {
        case .success: return .success
        case .failed: return .failed(reason: magic ?? defaultFailure)
        case .rules: break
        }
        if submission.accountNumber == testCredential.accountNumber && submission.bvn == testCredential.bvn
            && submission.bankCode == testCredential.bankCode {
            return .success
        }
        if let magic { return .failed(reason: magic) }
        return request.domain == .live ? .success : .failed(reason: defaultFailure)
    }

    func resolve(_ request: PendingIdentification) {
        guard let account = store.account(integration: request.integration, domain: request.domain) else { return }
        let outcome = Self.decide(request, mode: options.kycOutcome)
        let submission = request.submission
        let customer: Customer
        do {
            switch outcome {
            case .success:
                customer = try account.modifyCustomer(.code(request.customerCode)) { customer in
                    customer.identified = true
                    customer.firstName = submission.firstName
                    customer.lastName = submission.lastName
                    let entry = Identification(
                        country: submission.country, type: submission.type.rawValue,
                        value: maskedIdentifier(submission.type == .bvn ? submission.bvn : submission.accountNumber))
                    // The same identity identified again is listed once (repeats would grow every answer).
                    if !(customer.identifications ?? []).contains(entry) {
                        customer.identifications = (customer.identifications ?? []) + [entry]
                    }
                }
            case .failed:
                customer = try account.customer(.code(request.customerCode))
            }
        } catch {
            return  // The customer is gone (a reset or a new state): nothing to report on.
        }
        let event: String
        let reason: String?
        switch outcome {
        case .success: (event, reason) = ("customeridentification.success", nil)
        case .failed(let why): (event, reason) = ("customeridentification.failed", why)
        }
        webhooks.send(event: event, integration: account.integration, domain: request.domain) { writer in
            Self.writeData(
                customerID: customer.id, customerCode: customer.customerCode, email: customer.email, request: request,
                reason: reason, &writer)
        }
    }

    /// The `data` of both events, members in the order of Paystack's examples.
    static func writeData(
        customerID: Int, customerCode: String, email: String, request: PendingIdentification, reason: String?,
        _ writer: inout JSONWriter
    ) {
        writer.beginObject()
        writer.key("customer_id"); writer.int(customerID)
        writer.key("customer_code"); writer.string(customerCode)
        writer.key("email"); writer.string(email)
        writer.key("identification")
        writer.beginObject()
        writer.key("country"); writer.string(request.submission.country)
        writer.key("type"); writer.string(request.submission.type.rawValue)
        writer.key("bvn"); writer.string(maskedIdentifier(request.submission.bvn))
        writer.key("account_number"); writer.string(maskedIdentifier(request.submission.accountNumber))
        writer.key("bank_code"); writer.string(request.submission.bankCode)
        writer.endObject()
        if let reason {
            writer.key("reason"); writer.string(reason)
        }
        writer.endObject()
    }
}
