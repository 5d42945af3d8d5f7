import Dashboard
import EventHTTP
import JSON
import MCP
import PaystackAPI
import PaystackCore
import Platform
import Sandbox
import Webhooks

/// The whole mock as one responder: used alike by the command line and by the tests.
public struct Application: Sendable {
    public let store: CustomerStore
    public let responder: RequestPipeline
    public let webhooks: WebhookDispatcher
    public let identifications: IdentificationOutcomes
    /// Timers and outgoing requests (identification outcomes, webhook deliveries) run here.
    public let background: BackgroundLoop
    /// The live event stream of the dashboard (`GET /_sandbox/events`).
    public let events: EventHub
    /// The MCP server (`POST /mcp`, and stdio in `paystack-mock mcp`).
    public let mcp: MCPServer
    /// The base URLs the server listens on, once it does (health and the dashboard show them).
    public let addresses: ListeningAddresses
    /// What reading the state file found worth a warning (a torn last record).
    public let startupWarnings: [String]

    /// With `stateFile`, the store starts from what the file holds (the seed only when it is new)
    /// and every acknowledged change is on disk first; throws when the file cannot be read back
    /// (`SeedError`), or the webhook CA file cannot be used (`TLSError`).
    public init(
        seed: SeedData, clock: ServerClock = ServerClock(), random: RandomSource = RandomSource(),
        sandbox: SandboxOptions = SandboxOptions(), webhooks webhookOptions: WebhookOptions = WebhookOptions(),
        stateFile: String? = nil, secretKeys: [String] = []
    ) throws {
        let stateLog = stateFile.map(StateLog.init(path:))
        let store = CustomerStore(seed: seed, clock: clock, random: random, stateLog: stateLog)
        sandbox.deterministic?.restart(store, seed: seed)
        startupWarnings = try stateLog.map { (log) throws(SeedError) in try store.recover(from: log, secretKeys: secretKeys) } ?? []
        let background = BackgroundLoop(tls: try TLSClientContext(extraCAPath: webhookOptions.caFile, insecure: webhookOptions.insecure))
        let webhooks = WebhookDispatcher(store: store, options: webhookOptions, loop: background)
        let outcomes = IdentificationOutcomes(store: store, webhooks: webhooks, options: webhookOptions, loop: background)

        var router = Router<RouteHandler>()
        CustomerAPI(store: store, onIdentificationAccepted: { outcomes.accept($0) }).register(in: &router)
        let openAPIDocument = Array(openAPIDocumentText.utf8)  // shared by every answer, not copied
        router.add(.GET, "/openapi.yml") { _, _ in
            var headers = HTTPHeaders()
            headers.set("Content-Type", "application/yaml")
            return HTTPResponse(status: 200, headers: headers, body: openAPIDocument)
        }
        self.addresses = sandbox.addresses
        let faults = FaultRules()
        let journal = sandbox.journalSize > 0 ? RequestJournal(capacity: sandbox.journalSize) : nil
        // The MCP server calls the finished responder, which holds the MCP route: bound once it exists.
        let responder = LateResponder()
        let mcp = MCPServer(Self.mcpEnvironment(store: store, secretKeys: secretKeys, sandbox: sandbox, responder: responder))
        let events = EventHub(store: store, journal: journal, webhooks: webhooks)
        self.events = events
        if sandbox.adminEnabled {
            var admin = AdminRoutes(router: router, policy: sandbox.adminPolicy)
            SandboxAPI(store: store, seed: seed, options: sandbox, faults: faults, journal: journal, webhooks: webhooks)
                .register(in: &admin)
            Dashboard.register(in: &admin, events: events)
            admin.add(.POST, "/mcp") { request, _ in mcp.respond(toHTTP: request) }
            admin.add(.GET, "/mcp") { _, _ in MCPServer.methodNotAllowed() }
            admin.add(.DELETE, "/mcp") { _, _ in MCPServer.methodNotAllowed() }
            router = admin.router
        }
        self.mcp = mcp
        self.store = store
        self.webhooks = webhooks
        self.identifications = outcomes
        self.background = background
        self.responder = RequestPipeline(
            routes: RoutingResponder(router: router, renderFailure: PaystackError.rendering), corsOrigin: sandbox.corsOrigin,
            adminPolicy: sandbox.adminPolicy,
            faults: faults, store: store, journal: journal,
            rateLimiter: sandbox.rateLimit.map { RateLimiter(limit: $0) })
        responder.bind(self.responder)
    }

    /// What the MCP server needs: the responder, keys, the admin token and the resources.
    private static func mcpEnvironment(
        store: CustomerStore, secretKeys: [String], sandbox: SandboxOptions, responder: LateResponder
    ) -> MCPServer.Environment {
        let respond: @Sendable (HTTPRequest) -> HTTPResponse = { responder.respond(to: $0) }
        let adminToken = sandbox.adminToken
        let resources = [
            MCPServer.Resource(
                uri: "paystack-mock://openapi.yml", name: "openapi", title: "The API description",
                description: "The OpenAPI 3 document of every route of the mock (GET /openapi.yml)", mimeType: "application/yaml",
                read: { openAPIDocumentText }),
            MCPServer.Resource(
                uri: "paystack-mock://kyc-outcomes", name: "kyc-outcomes", title: "Identification outcomes",
                description: "Which identifications succeed or fail, with the magic account numbers and Paystack's reasons",
                mimeType: "application/json", read: { KYCOutcomeTable.json }),
            MCPServer.Resource(
                uri: "paystack-mock://state", name: "state", title: "The whole state",
                description: "Every integration, customer and card as one document (GET /_sandbox/state)", mimeType: "application/json",
                read: {
                    var headers = HTTPHeaders()
                    if let adminToken { headers.set("Authorization", "Bearer \(adminToken)") }
                    return String(decoding: respond(HTTPRequest(method: .GET, target: "/_sandbox/state", headers: headers)).body, as: UTF8.self)
                }),
        ]
        return MCPServer.Environment(
            respond: respond,
            secretKey: { integration in
                guard let integration else {
                    return secretKeys.first ?? store.integrations.first.flatMap { $0.secretKeys[.test] ?? $0.secretKeys[.live] }
                }
                if store.account(forSecretKey: integration) != nil { return integration }
                guard let id = Int(integration), let found = store.books(of: id)?.integration else { return nil }
                return found.secretKeys[.test] ?? found.secretKeys[.live]
            },
            allSecretKeys: { store.integrations.flatMap { [$0.secretKeys[.test], $0.secretKeys[.live]].compactMap { $0 } } },
            adminToken: adminToken, resources: resources, version: SandboxAPI.version)
    }
}

/// A responder set once, after it is built (the MCP route inside it calls it).
final class LateResponder: @unchecked Sendable {
    // Written once, before the server starts; read only afterwards.
    private var bound: (any HTTPResponder)?

    func bind(_ responder: any HTTPResponder) {
        bound = responder
    }

    func respond(to request: consuming HTTPRequest) -> HTTPResponse {
        bound!.respond(to: request)
    }
}

/// The identification outcomes as a document (the MCP resource `paystack-mock://kyc-outcomes`).
enum KYCOutcomeTable {
    static let json: String = {
        var writer = JSONWriter(capacity: 1024)
        writer.beginObject()
        writer.key("test_credential")
        writer.beginObject()
        writer.key("account_number"); writer.string(IdentificationOutcomes.testCredential.accountNumber)
        writer.key("bvn"); writer.string(IdentificationOutcomes.testCredential.bvn)
        writer.key("bank_code"); writer.string(IdentificationOutcomes.testCredential.bankCode)
        writer.key("outcome"); writer.string("success, in both domains")
        writer.endObject()
        writer.key("failing_accounts")
        writer.beginArray()
        for (account, reason) in IdentificationOutcomes.failingAccounts {
            writer.beginObject()
            writer.key("account_number"); writer.string(account)
            writer.key("outcome"); writer.string("failed")
            writer.key("reason"); writer.string(reason)
            writer.endObject()
        }
        writer.endArray()
        writer.key("anything_else")
        writer.beginObject()
        writer.key("test"); writer.string("failed: \(IdentificationOutcomes.defaultFailure)")
        writer.key("live"); writer.string("success")
        writer.endObject()
        writer.key("webhook_events"); writer.beginArray(); writer.string("customeridentification.success"); writer.string("customeridentification.failed"); writer.endArray()
        writer.endObject()
        return String(decoding: writer.bytes, as: UTF8.self)
    }()
}
