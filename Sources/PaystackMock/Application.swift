import EventHTTP
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
        router.add(.GET, "/openapi.yml") { _, _ in
            var headers = HTTPHeaders()
            headers.set("Content-Type", "application/yaml")
            return HTTPResponse(status: 200, headers: headers, body: Array(openAPIDocumentText.utf8))
        }
        self.addresses = sandbox.addresses
        let faults = FaultRules()
        let journal = sandbox.journalSize > 0 ? RequestJournal(capacity: sandbox.journalSize) : nil
        if sandbox.adminEnabled {
            var admin = AdminRoutes(router: router, policy: sandbox.adminPolicy)
            SandboxAPI(store: store, seed: seed, options: sandbox, faults: faults, journal: journal, webhooks: webhooks)
                .register(in: &admin)
            router = admin.router
        }
        self.store = store
        self.webhooks = webhooks
        self.identifications = outcomes
        self.background = background
        self.responder = RequestPipeline(
            routes: RoutingResponder(router: router, renderFailure: PaystackError.rendering), corsOrigin: sandbox.corsOrigin,
            adminPolicy: sandbox.adminPolicy,
            faults: faults, store: store, journal: journal,
            rateLimiter: sandbox.rateLimit.map { RateLimiter(limit: $0) })
    }
}
