import EventHTTP

/// The whole mock as one responder: used alike by the command line and by the tests.
public struct Application: Sendable {
    public let store: CustomerStore
    public let responder: SandboxResponder

    /// What reading the state file found worth a warning (a torn last record).
    public let startupWarnings: [String]

    public let webhooks: WebhookDispatcher

    public init(
        seed: SeedData, clock: ServerClock = ServerClock(), random: RandomSource = RandomSource(),
        sandbox: SandboxOptions = SandboxOptions(), webhooks: WebhookOptions = WebhookOptions()
    ) {
        try! self.init(seed: seed, clock: clock, random: random, sandbox: sandbox, webhooks: webhooks, stateFile: nil)
    }

    /// With `stateFile`, the store starts from what the file holds (the seed only when it is new)
    /// and every acknowledged change is on disk; throws when the file cannot be read back.
    public init(
        seed: SeedData, clock: ServerClock = ServerClock(), random: RandomSource = RandomSource(),
        sandbox: SandboxOptions = SandboxOptions(), webhooks webhookOptions: WebhookOptions = WebhookOptions(),
        stateFile: String?, secretKeys: [String] = []
    ) throws(SeedError) {
        sandbox.applyDeterministicStart(for: seed, clock: clock, random: random)
        let stateLog = stateFile.map(StateLog.init(path:))
        let store = CustomerStore(seed: seed, clock: clock, random: random, stateLog: stateLog)
        startupWarnings = try stateLog?.open(into: store, secretKeys: secretKeys) ?? []
        var router = Router<RouteHandler>()
        // Timers and outgoing requests (identification outcomes, webhook deliveries) run here.
        let background = BackgroundLoop()
        let webhooks = WebhookDispatcher(store: store, options: webhookOptions, loop: background)
        let outcomes = IdentificationOutcomes(store: store, webhooks: webhooks, options: webhookOptions, loop: background)
        CustomerAPI(store: store, onIdentificationAccepted: { outcomes.accept($0) }).register(in: &router)
        let faults = FaultRules()
        let journal = sandbox.journalSize > 0 ? RequestJournal(capacity: sandbox.journalSize) : nil
        SandboxAPI(
            store: store, seed: seed, options: sandbox, faults: faults, journal: journal, webhooks: webhooks,
            startedAt: monotonicNanoseconds())
            .register(in: &router)
        router.add(.GET, "/openapi.yml") { _, _ in
            var headers = HTTPHeaders()
            headers.set("Content-Type", "application/yaml")
            return HTTPResponse(status: 200, headers: headers, body: Array(openAPIDocumentText.utf8))
        }
        self.store = store
        self.webhooks = webhooks
        self.responder = SandboxResponder(
            routes: RoutingResponder(router: router), corsOrigin: sandbox.corsOrigin, faults: faults, store: store,
            journal: journal, rateLimiter: sandbox.rateLimit.map { RateLimiter(limit: $0, windowSeconds: sandbox.rateLimitWindowSeconds) })
    }
}
