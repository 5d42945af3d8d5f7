import EventHTTP
import PaystackAPI
import PaystackCore
import Platform

/// What every request goes through before and after its route, read top to bottom:
/// admin surfaces: host and origin policy → CORS preflight → the route (which checks the token);
/// Paystack routes: authenticate once → CORS preflight → added latency (`X-Mock-Delay`) → rate limit
/// → forced outcome (`X-Mock-Status`, fault rules) → the route → CORS headers → journal.
public struct RequestPipeline: HTTPResponder {
    /// Paths of the admin surfaces: the policy applies, `--cors-origin` does not, the journal skips them.
    public static let adminPrefixes = ["/_sandbox/", "/mcp"]
    /// The mock's own API document, not a call of the API: not journaled (it is 95 KB, and polls for
    /// it would push out the calls the journal is there to show).
    static let documentPath = "/openapi.yml"

    public static let corsAllowedHeaders = "Authorization, Content-Type, X-Mock-Status, X-Mock-Delay"
    static let maximumDelayMilliseconds = 60_000

    let routes: RoutingResponder
    let corsOrigin: String
    let adminPolicy: AdminPolicy
    let faults: FaultRules
    let store: CustomerStore
    let journal: RequestJournal?
    let rateLimiter: RateLimiter?

    public init(
        routes: RoutingResponder, corsOrigin: String, adminPolicy: AdminPolicy, faults: FaultRules, store: CustomerStore,
        journal: RequestJournal?, rateLimiter: RateLimiter?
    ) {
        self.routes = routes
        self.corsOrigin = corsOrigin
        self.adminPolicy = adminPolicy
        self.faults = faults
        self.store = store
        self.journal = journal
        self.rateLimiter = rateLimiter
    }

    public func allowedMethods(forPath rawPath: String) -> [HTTPMethod]? {
        routes.allowedMethods(forPath: rawPath)
    }

    /// Every registered route.
    public var registeredRoutes: [(method: HTTPMethod, pattern: String)] { routes.router.routes }

    public func respond(to failure: HTTPFailure) -> HTTPResponse {
        routes.respond(to: failure)
    }

    public func respond(to request: consuming HTTPRequest) -> HTTPResponse {
        if Self.adminPrefixes.contains(where: { request.path.hasBytePrefix($0) }) {
            return answerAdmin(request)
        }
        return answerPaystack(request)
    }

    private func answerAdmin(_ request: HTTPRequest) -> HTTPResponse {
        switch adminPolicy.check(request) {
        case .refuse(let message):
            return PaystackError(status: 403, message: message, code: nil).response
        case .admit(let origin):
            let started = monotonicNanoseconds()
            var response = isPreflight(request) ? preflight(request) : routes.respond(to: request)
            // Admin changes to a customer (saved cards) are in the journal too, as what touched it.
            if request.method != .GET, request.path.hasBytePrefix("/_sandbox/customers/") {
                journal?.record(request, response, integration: nil, started: started, at: store.clock.now())
            }
            if let origin {
                response.headers.set("Access-Control-Allow-Origin", origin)
                response.headers.add("Vary", "Origin")
            }
            return response
        }
    }

    private func isPreflight(_ request: HTTPRequest) -> Bool {
        request.method == .OPTIONS && request.headers["Origin"] != nil && request.headers["Access-Control-Request-Method"] != nil
    }

    private func answerPaystack(_ request: consuming HTTPRequest) -> HTTPResponse {
        let started = monotonicNanoseconds()
        var authentication: Authentication?
        if journal != nil || rateLimiter != nil {
            // Once for the journal, the rate limit and the route.
            authentication = store.authentication(of: request)
            request.context = authentication
        }
        var response: HTTPResponse
        if isPreflight(request) {
            response = preflight(request)
        } else {
            response = answer(request, account: try? authentication?.result.get())
        }
        response.headers.set("Access-Control-Allow-Origin", corsOrigin)
        if corsOrigin != "*" { response.headers.add("Vary", "Origin") }
        // Optional chaining, not `if let`: binding the optional journal (and the rate limiter,
        // below) compiled to a copy through the runtime's generic Optional operations, seen in
        // callgrind (~300 instructions a request with the destroys).
        if request.path != Self.documentPath {
            journal?.record(
                request, response, integration: try? authentication?.result.get().integration.id, started: started,
                at: store.clock.now())
        }
        return response
    }

    private func answer(_ request: HTTPRequest, account: Account?) -> HTTPResponse {
        var delay = 0
        if let text = request.headers["X-Mock-Delay"] {
            guard let value = Int(text.trimmingSpaces), (0...Self.maximumDelayMilliseconds).contains(value) else {
                return PaystackError.invalid(SandboxMessages.mockDelayInvalid).response
            }
            delay = value
        }
        var limit: RateLimiter.Decision?
        if rateLimiter != nil, let account = account ?? (try? store.authenticate(request)),
           let decision = rateLimiter?.take(account.integration.id) {
            guard decision.allowed else {
                var limited = forcedError(429).response
                limited.headers.add(rateLimitHeaders: decision)
                return limited
            }
            limit = decision
        }
        var response: HTTPResponse
        switch forcedOutcome(request) {
        case .invalid(let error):
            return error.response
        case .forced(let forced, let matched):
            response = forced
            delay += matched?.delayMs ?? 0
        case .none(let matched):
            response = routes.respond(to: request)
            delay += matched?.delayMs ?? 0
        }
        response.delayMilliseconds = delay
        if let limit { response.headers.add(rateLimitHeaders: limit) }
        return response
    }

    private enum ForcedOutcome {
        case invalid(PaystackError)
        /// The answer instead of the route's; the fault rule that forced it, if one did.
        case forced(HTTPResponse, FaultRule?)
        /// The route answers; a matching rule may still add a delay.
        case none(FaultRule?)
    }

    /// `X-Mock-Status`, else the first matching fault rule. The store is never touched by a forced
    /// answer: the route does not run. A rule counts against its `times` only when it decides.
    private func forcedOutcome(_ request: HTTPRequest) -> ForcedOutcome {
        if let text = request.headers["X-Mock-Status"] {
            guard let status = Int(text.trimmingSpaces), (400...599).contains(status) else {
                return .invalid(PaystackError.invalid(SandboxMessages.mockStatusInvalid))
            }
            return .forced(forcedError(status).response, nil)
        }
        guard let rule = faults.match(request.method, request.path) else { return .none(nil) }
        guard let status = rule.status else { return .none(rule) }
        var error = forcedError(status)
        if let message = rule.message { error = PaystackError(status: status, message: message, code: error.code) }
        return .forced(error.response, rule)
    }

    private func preflight(_ request: HTTPRequest) -> HTTPResponse {
        let allowed = routes.allowedMethods(forPath: request.rawPath) ?? []
        var headers = HTTPHeaders()
        headers.set("Access-Control-Allow-Methods", allowed.map(\.rawValue).joined(separator: ", "))
        headers.set("Access-Control-Allow-Headers", Self.corsAllowedHeaders)
        headers.set("Access-Control-Max-Age", "600")
        return HTTPResponse(status: 204, headers: headers)
    }
}

/// Paystack's envelope for a status forced with `X-Mock-Status` or a fault rule.
func forcedError(_ status: Int) -> PaystackError {
    switch status {
    case 429: PaystackError(status: 429, message: Messages.rateLimitExceeded, code: .rateLimited)
    case 500...599: PaystackError(status: status, message: Messages.serverError, code: .unknown)
    case 401: PaystackError.unauthorized(Messages.invalidKey)
    case 404: PaystackError.notFound(Messages.customerNotFound)
    default: PaystackError(status: status, message: reasonPhrase(status), code: nil)
    }
}

extension HTTPHeaders {
    /// Paystack's rate-limit headers, sent on every answer while `--rate-limit` is on.
    mutating func add(rateLimitHeaders decision: RateLimiter.Decision) {
        add("x-ratelimit-limit", String(decision.limit))
        add("x-ratelimit-remaining", String(decision.remaining))
        add("x-ratelimit-reset", String(decision.resetSeconds))
    }
}
