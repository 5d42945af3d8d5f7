import EventHTTP
import JSON
import PaystackCore

/// The `/customer` routes. Each handler reads top to bottom: authenticate → parse → validate →
/// act → write. Handlers throw `PaystackError`; `answer` renders it.
public struct CustomerAPI: Sendable {
    public let store: CustomerStore
    /// Called with each identification accepted (202); its outcome comes later (by webhook).
    public let onIdentificationAccepted: @Sendable (PendingIdentification) -> Void

    public init(store: CustomerStore, onIdentificationAccepted: @escaping @Sendable (PendingIdentification) -> Void = { _ in }) {
        self.store = store
        self.onIdentificationAccepted = onIdentificationAccepted
    }

    public func register(in router: inout Router<RouteHandler>) {
        router.add(.POST, "/customer") { request, _ in answer { try create(request) } }
        router.add(.GET, "/customer") { request, _ in answer { try list(request) } }
        router.add(.GET, "/customer/{code}") { request, parameters in answer { try fetch(request, parameters["code"]!) } }
        router.add(.PUT, "/customer/{code}") { request, parameters in answer { try update(request, parameters["code"]!) } }
        router.add(.POST, "/customer/set_risk_action") { request, _ in answer { try setRiskAction(request) } }
        // The seed spec's path and the one Paystack's current docs and SDKs use.
        router.add(.POST, "/customer/deactivate_authorization") { request, _ in answer { try deactivateAuthorization(request) } }
        router.add(.POST, "/customer/authorization/deactivate") { request, _ in answer { try deactivateAuthorization(request) } }
        router.add(.POST, "/customer/{code}/identification") { request, parameters in
            answer { try requestIdentification(request, parameters["code"]!) }
        }
    }

    // MARK: Routes

    func create(_ request: HTTPRequest) throws(PaystackError) -> HTTPResponse {
        let account = try store.authenticate(request)
        let body = try RequestBody(request)
        let email = try body.string("email")
        guard let email, !email.isEmpty else { throw PaystackError.missing("email") }
        guard isValidEmail(email) else { throw PaystackError.invalid(Messages.invalidEmail) }
        let draft = CustomerDraft(
            email: email, firstName: try body.string("first_name"), lastName: try body.string("last_name"),
            phone: try body.string("phone"), metadata: try body.metadata())
        let (customer, _) = try attempt(account.createCustomer(draft))
        // Paystack answers 200, not the seed spec's 201, for a new and an existing email alike.
        return success(Messages.customerCreated) { $0.customer(customer, .created) }
    }

    func list(_ request: HTTPRequest) throws(PaystackError) -> HTTPResponse {
        let account = try store.authenticate(request)
        let query = try ListQuery(request.query)
        let page = try attempt(account.listCustomers(from: query.from, to: query.to, page: query.page) { customer in
            var item = JSONWriter(capacity: 512)
            item.customer(customer, .listItem)
            return item.bytes
        })
        // The page is assembled once, in a buffer of its exact size, from the envelope's opening,
        // the items and the meta: through one writer, a 16 KiB page was copied twice more.
        var meta = JSONWriter(capacity: 160)
        meta.beginObject()
        switch query.page {
        case .offset(let number, let perPage):
            meta.key("total"); meta.int(page.total)
            meta.key("skipped"); meta.int(min(page.total, (number - 1).multipliedReportingOverflow(by: perPage).partialValue))
            meta.key("perPage"); meta.int(perPage)
            meta.key("page"); meta.int(number)
            meta.key("pageCount"); meta.int((page.total + perPage - 1) / perPage)
        case .cursor(_, _, let perPage):
            meta.key("next"); ListCursor.write(page.nextID, &meta)
            meta.key("previous"); ListCursor.write(page.previousID, &meta)
            meta.key("perPage"); meta.int(perPage)
        }
        meta.endObject()
        return .json(200, assembleList(opening: Self.listOpening, items: page.items, meta: meta.bytes))
    }

    /// `{"status":true,"message":"Customers retrieved","data":`, the same for every page.
    private static let listOpening: [UInt8] = {
        var envelope = JSONWriter(capacity: 128)
        envelope.beginObject()
        envelope.key("status"); envelope.bool(true)
        envelope.key("message"); envelope.string(Messages.customersRetrieved)
        envelope.key("data")
        return envelope.bytes
    }()

    func fetch(_ request: HTTPRequest, _ reference: String) throws(PaystackError) -> HTTPResponse {
        let account = try store.authenticate(request)
        // The whole answer is kept per customer until it changes.
        let body = try attempt(account.renderedCustomer(CustomerReference(reference)) { customer in
            success(Messages.customerRetrieved) { $0.customer(customer, .fetched) }.body
        })
        return .json(200, body)
    }

    func update(_ request: HTTPRequest, _ reference: String) throws(PaystackError) -> HTTPResponse {
        let account = try store.authenticate(request)
        let body = try RequestBody(request)
        let changes = CustomerChanges(
            firstName: try body.string("first_name"), lastName: try body.string("last_name"),
            phone: try body.string("phone"), metadata: try body.metadata())
        let customer = try attempt(account.updateCustomer(CustomerReference(reference), changes))
        return success(Messages.customerUpdated) { $0.customer(customer, .updated) }
    }

    func setRiskAction(_ request: HTTPRequest) throws(PaystackError) -> HTTPResponse {
        let account = try store.authenticate(request)
        let body = try RequestBody(request)
        let reference = try body.requiredString("customer")
        let actionText = try body.string("risk_action") ?? RiskAction.default.rawValue
        guard let action = RiskAction(rawValue: actionText) else { throw PaystackError.invalid(Messages.riskActionInvalid) }
        if action == .allow && account.integration.forbidsAllowRiskAction {
            throw PaystackError(status: 403, message: Messages.riskActionForbidden, code: nil)
        }
        let customer = try attempt(account.setRiskAction(CustomerReference(reference), action))
        return success(Messages.customerUpdated) { $0.customer(customer, .updated) }
    }

    func deactivateAuthorization(_ request: HTTPRequest) throws(PaystackError) -> HTTPResponse {
        let account = try store.authenticate(request)
        let body = try RequestBody(request)
        let code = try body.requiredString("authorization_code")
        guard isValidAuthorizationCode(code) else { throw PaystackError.invalid(Messages.authorizationCodePattern(code)) }
        try attempt(account.deactivateAuthorization(code))
        return success(Messages.authorizationDeactivated)
    }

    func requestIdentification(_ request: HTTPRequest, _ reference: String) throws(PaystackError) -> HTTPResponse {
        let account = try store.authenticate(request)
        let body = try RequestBody(request)
        let submission = try IdentificationSubmission(body)
        let customer = try attempt(account.customer(CustomerReference(reference)))
        onIdentificationAccepted(PendingIdentification(submission, for: customer))
        return success(Messages.identificationInProgress, status: 202)
    }
}

/// `opening` (the envelope up to `"data":`), `[item,item,…]`, `,"meta":`, `meta` and `}`, in one
/// buffer of the exact size.
func assembleList(opening: [UInt8], items: [[UInt8]], meta: [UInt8]) -> [UInt8] {
    let metaKey = listMetaKey
    let size = opening.count + 2 + items.reduce(0) { $0 + $1.count } + max(0, items.count - 1) + metaKey.count + meta.count + 1
    return [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
        var offset = 0
        func put(_ bytes: [UInt8]) {
            bytes.withUnsafeBufferPointer { source in
                guard let base = source.baseAddress, !source.isEmpty else { return }
                (buffer.baseAddress! + offset).initialize(from: base, count: source.count)
                offset += source.count
            }
        }
        func put(_ byte: UInt8) {
            buffer[offset] = byte
            offset += 1
        }
        put(opening)
        put(UInt8(ascii: "["))
        for (index, item) in items.enumerated() {
            if index > 0 { put(UInt8(ascii: ",")) }
            put(item)
        }
        put(UInt8(ascii: "]"))
        put(metaKey)
        put(meta)
        put(UInt8(ascii: "}"))
        count = offset
    }
}

private let listMetaKey = Array(#","meta":"#.utf8)

/// The value of a store operation, or Paystack's answer to why it did not happen.
@inline(__always)
public func attempt<Value>(_ operation: @autoclosure () throws(StoreError) -> Value) throws(PaystackError) -> Value {
    do {
        return try operation()
    } catch {
        throw PaystackError(error)
    }
}
