import EventHTTP

/// The whole mock as one responder: used alike by the command line and by the tests.
public struct Application: Sendable {
    public let store: CustomerStore
    public let responder: SandboxResponder

    public init(
        seed: SeedData, clock: ServerClock = ServerClock(), random: RandomSource = RandomSource(),
        sandbox: SandboxOptions = SandboxOptions()
    ) {
        sandbox.applyDeterministicStart(for: seed, clock: clock, random: random)
        let store = CustomerStore(seed: seed, clock: clock, random: random)
        var router = Router<RouteHandler>()
        CustomerAPI(store: store).register(in: &router)
        let faults = FaultRules()
        let journal = sandbox.journalSize > 0 ? RequestJournal(capacity: sandbox.journalSize) : nil
        SandboxAPI(
            store: store, seed: seed, options: sandbox, faults: faults, journal: journal, startedAt: monotonicNanoseconds())
            .register(in: &router)
        router.add(.GET, "/openapi.yml") { _, _ in
            var headers = HTTPHeaders()
            headers.set("Content-Type", "application/yaml")
            return HTTPResponse(status: 200, headers: headers, body: Array(openAPIDocumentText.utf8))
        }
        self.store = store
        self.responder = SandboxResponder(
            routes: RoutingResponder(router: router), corsOrigin: sandbox.corsOrigin, faults: faults, store: store,
            journal: journal, rateLimiter: sandbox.rateLimit.map { RateLimiter(limit: $0, windowSeconds: sandbox.rateLimitWindowSeconds) })
    }
}
