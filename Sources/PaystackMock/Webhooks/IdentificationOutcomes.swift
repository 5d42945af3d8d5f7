import EventHTTP

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

    init(store: CustomerStore, webhooks: WebhookDispatcher, options: WebhookOptions, loop: BackgroundLoop) {
        self.store = store
        self.webhooks = webhooks
        self.options = options
        self.loop = loop
    }

    /// Called when `POST /customer/{x}/identification` has answered 202.
    func accept(_ request: IdentificationRequest) {
        loop.schedule(afterMilliseconds: options.kycDelayMilliseconds) { [self] in resolve(request) }
    }

    /// The README's table: the test credential succeeds; the three magic account numbers fail with
    /// their reasons; anything else fails in the test domain and succeeds in the live domain.
    /// `--kyc-outcome success|failed` overrides (a failure keeps a magic number's reason).
    public static func decide(_ request: IdentificationRequest, mode: KYCOutcomeMode) -> Outcome {
        let magic = failingAccounts.first { $0.accountNumber == request.accountNumber }?.reason
        switch mode {
        case .success: return .success
        case .failed: return .failed(reason: magic ?? defaultFailure)
        case .rules: break
        }
        if request.accountNumber == testCredential.accountNumber && request.bvn == testCredential.bvn
            && request.bankCode == testCredential.bankCode {
            return .success
        }
        if let magic { return .failed(reason: magic) }
        return request.domain == .live ? .success : .failed(reason: defaultFailure)
    }

    func resolve(_ request: IdentificationRequest) {
        guard let books = store.books(of: request.integration) else { return }
        let account = Account(store: store, books: books, domain: request.domain)
        let outcome = Self.decide(request, mode: options.kycOutcome)
        let customer: Customer
        do {
            switch outcome {
            case .success:
                customer = try account.modifyCustomer(.code(request.customerCode)) { customer in
                    customer.identified = true
                    customer.firstName = request.firstName
                    customer.lastName = request.lastName
                    let entry = Identification(
                        country: request.country, type: request.type.rawValue,
                        value: maskedIdentifier(request.type == .bvn ? request.bvn : request.accountNumber))
                    customer.identifications = (customer.identifications ?? []) + [entry]
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
        webhooks.send(event: event, integration: books.integration, domain: request.domain) { writer in
            Self.writeData(
                customerID: customer.id, customerCode: customer.customerCode, email: customer.email, request: request,
                reason: reason, &writer)
        }
    }

    /// The `data` of both events, members in the order of Paystack's examples.
    static func writeData(
        customerID: Int, customerCode: String, email: String, request: IdentificationRequest, reason: String?,
        _ writer: inout JSONWriter
    ) {
        writer.beginObject()
        writer.key("customer_id"); writer.int(customerID)
        writer.key("customer_code"); writer.string(customerCode)
        writer.key("email"); writer.string(email)
        writer.key("identification")
        writer.beginObject()
        writer.key("country"); writer.string(request.country)
        writer.key("type"); writer.string(request.type.rawValue)
        writer.key("bvn"); writer.string(maskedIdentifier(request.bvn))
        writer.key("account_number"); writer.string(maskedIdentifier(request.accountNumber))
        writer.key("bank_code"); writer.string(request.bankCode)
        writer.endObject()
        if let reason {
            writer.key("reason"); writer.string(reason)
        }
        writer.endObject()
    }
}
