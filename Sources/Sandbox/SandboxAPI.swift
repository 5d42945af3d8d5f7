import EventHTTP
import JSON
import PaystackAPI
import PaystackCore
import Platform
import Webhooks

/// The admin routes under `/_sandbox/`: health, integrations, reset and state, the clock, fault
/// rules, the request journal and webhooks (one file per group). Every route is registered through
/// `AdminRoutes`, which applies the admin policy.
public struct SandboxAPI: Sendable {
    public static let version = "0.2.0"

    let store: CustomerStore
    let seed: SeedData
    let options: SandboxOptions
    let faults: FaultRules
    let journal: RequestJournal?
    let webhooks: WebhookDispatcher
    let startedAt: UInt64

    public init(
        store: CustomerStore, seed: SeedData, options: SandboxOptions, faults: FaultRules, journal: RequestJournal?,
        webhooks: WebhookDispatcher, startedAt: UInt64 = monotonicNanoseconds()
    ) {
        self.store = store
        self.seed = seed
        self.options = options
        self.faults = faults
        self.journal = journal
        self.webhooks = webhooks
        self.startedAt = startedAt
    }

    public func register(in routes: inout AdminRoutes) {
        routes.add(.GET, "/_sandbox/health") { request, _ in health(request) }
        routes.add(.POST, "/_sandbox/reset") { request, _ in try reset(request) }
        routes.add(.GET, "/_sandbox/state") { _, _ in exportState() }
        routes.add(.PUT, "/_sandbox/state") { request, _ in try importState(request) }
        routes.add(.GET, "/_sandbox/clock") { _, _ in clockAnswer() }
        routes.add(.POST, "/_sandbox/clock") { request, _ in try setClock(request) }
        routes.add(.POST, "/_sandbox/faults") { request, _ in try addFault(request) }
        routes.add(.GET, "/_sandbox/faults") { _, _ in listFaults() }
        routes.add(.DELETE, "/_sandbox/faults") { _, _ in clearFaults() }
        routes.add(.GET, "/_sandbox/requests") { request, _ in try listRequests(request) }
        routes.add(.DELETE, "/_sandbox/requests") { _, _ in try clearRequests() }
        routes.add(.GET, "/_sandbox/webhook") { _, _ in webhookTargets() }
        routes.add(.PUT, "/_sandbox/webhook") { request, _ in try setWebhookTarget(request) }
        routes.add(.GET, "/_sandbox/webhooks") { request, _ in try listWebhooks(request) }
        routes.add(.DELETE, "/_sandbox/webhooks") { _, _ in clearWebhooks() }
        routes.add(.POST, "/_sandbox/webhooks/test") { request, _ in try testWebhook(request) }
        routes.add(.POST, "/_sandbox/webhooks/{id}/redeliver") { _, parameters in try redeliverWebhook(parameters["id"] ?? "") }
        routes.add(.GET, "/_sandbox/tls/ca.pem") { _, _ in try certificateAuthority() }
        routes.add(.GET, "/_sandbox/integrations") { _, _ in listIntegrations() }
        routes.add(.GET, "/_sandbox/customers") { request, _ in try searchCustomers(request) }
        routes.add(.POST, "/_sandbox/customers/{customer}/authorizations") { request, parameters in
            try addAuthorization(request, parameters["customer"] ?? "")
        }
        routes.add(.DELETE, "/_sandbox/customers/{customer}/authorizations") { request, parameters in
            try removeAuthorizations(request, parameters["customer"] ?? "")
        }
    }

    /// `GET /_sandbox/health`: status, version, uptime, counts.
    func health(_ request: HTTPRequest) -> HTTPResponse {
        let uptime = Int((monotonicNanoseconds() - startedAt) / 1_000_000_000)
        let integrations = store.integrations.count
        let customers = store.customerCount
        return success(SandboxMessages.healthy) { writer in
            writer.beginObject()
            writer.key("version"); writer.plainString(Self.version)
            writer.key("uptime_seconds"); writer.int(uptime)
            writer.key("integrations"); writer.int(integrations)
            writer.key("customers"); writer.int(customers)
            writer.key("base_urls")
            writer.beginArray()
            for url in options.addresses.all { writer.string(url) }
            writer.endArray()
            writer.endObject()
        }
    }

    /// `GET /_sandbox/tls/ca.pem`: the CA to trust for the HTTPS listener.
    func certificateAuthority() throws(PaystackError) -> HTTPResponse {
        guard let path = options.tlsCAPath else { throw PaystackError.notFound(SandboxMessages.noCertificateAuthority) }
        let pem: [UInt8]
        do {
            pem = try FileSystem.read(path)
        } catch {
            throw PaystackError(status: 500, message: SandboxMessages.certificateAuthorityUnreadable(error.reason), code: .unknown)
        }
        var headers = HTTPHeaders()
        headers.set("Content-Type", "application/x-pem-file")
        return HTTPResponse(status: 200, headers: headers, body: pem)
    }

    /// The integration an `integration` member names: its id (number or digits) or one of its secret keys.
    func books(named target: JSONValue) throws(PaystackError) -> IntegrationBooks {
        let integrationID: Int
        switch target {
        case .number(let text) where Int(text) != nil:
            integrationID = Int(text)!
        case .number(let text) where text.utf8.allSatisfy({ isASCIIDigit($0) || $0 == UInt8(ascii: "-") }):
            // A whole number too large for any id.
            throw PaystackError.notFound(SandboxMessages.unknownIntegration)
        case .string(let text) where Int(text) != nil:
            integrationID = Int(text)!
        case .string(let key):
            guard let account = store.account(forSecretKey: key) else { throw PaystackError.notFound(SandboxMessages.unknownIntegration) }
            integrationID = account.integration.id
        default:
            throw PaystackError.invalid(SandboxMessages.integrationMustBeIDOrKey)
        }
        guard let books = store.books(of: integrationID) else { throw PaystackError.notFound(SandboxMessages.unknownIntegration) }
        return books
    }

    /// A whole-number member within `range`: a JSON number, or in a form body its digits.
    func integer(_ body: RequestBody, _ name: String, in range: ClosedRange<Int>, _ message: String) throws(PaystackError) -> Int? {
        switch body.fields[name] {
        case nil: return nil
        case .number(let text)? where Int(text).map(range.contains) == true: return Int(text)
        case .string(let text)? where body.isForm && Int(text).map(range.contains) == true: return Int(text)
        default: throw PaystackError.invalid(message)
        }
    }
}
