import EventHTTP

/// Wraps the routes with what every answer gets: forced outcomes (`X-Mock-Status`), added latency
/// (`X-Mock-Delay`, waited on the event loop, never blocking it) and CORS for browser demos.
public struct SandboxResponder: HTTPResponder {
    public static let corsAllowedHeaders = "Authorization, Content-Type, X-Mock-Status, X-Mock-Delay"
    static let maximumDelayMilliseconds = 60_000

    let routes: RoutingResponder
    let corsOrigin: String
    let faults: FaultRules
    let store: CustomerStore
    let journal: RequestJournal?
    let rateLimiter: RateLimiter?

    public func allowedMethods(forPath rawPath: String) -> [HTTPMethod]? {
        routes.allowedMethods(forPath: rawPath)
    }

    public func respond(to request: HTTPRequest) -> HTTPResponse {
        let started = monotonicNanoseconds()
        let isSandboxRoute = request.path.utf8.starts(with: "/_sandbox/".utf8)
        var request = request
        var authentication: Authentication?
        if !isSandboxRoute && (journal != nil || rateLimiter != nil) {
            // Once for the journal, the rate limit and the route.
            authentication = store.authentication(of: request)
            request.context = authentication
        }
        var response: HTTPResponse
        if request.method == .OPTIONS, request.headers["Origin"] != nil,
           request.headers["Access-Control-Request-Method"] != nil {
            response = preflight(request)
        } else {
            response = answerWithFaults(request, isSandboxRoute: isSandboxRoute)
        }
        response.headers.set("Access-Control-Allow-Origin", corsOrigin)
        if corsOrigin != "*" { response.headers.add("Vary", "Origin") }
        if let journal, !isSandboxRoute {
            record(request, response, integration: try? authentication?.result.get().integration.id, started: started, in: journal)
        }
        return response
    }

    /// Adds the exchange to the journal, with every credential masked first.
    private func record(_ request: HTTPRequest, _ response: HTTPResponse, integration: Int?, started: UInt64, in journal: RequestJournal) {
        let elapsed = Int((monotonicNanoseconds() - started) / 1000) + response.delayMilliseconds * 1000
        var query = ""
        for (key, value) in request.query {
            if !query.isEmpty { query += "&" }
            query += key
            query += "="
            query += value
        }
        journal.record { sequence in
            JournalEntry(
                sequence: sequence, time: store.clock.now(), method: request.method, path: request.path, query: query,
                headers: request.headers.fields, body: request.body, status: response.status, responseBody: response.body,
                durationMicroseconds: elapsed, integration: integration)
        }
    }

    private func answerWithFaults(_ request: HTTPRequest, isSandboxRoute: Bool) -> HTTPResponse {
        var delay = 0
        if let text = request.headers["X-Mock-Delay"] {
            guard let value = Int(text.trimmingSpaces), (0...Self.maximumDelayMilliseconds).contains(value) else {
                return PaystackError.invalid(SandboxMessages.mockDelayInvalid).response
            }
            delay = value
        }
        var response: HTTPResponse
        var limit: RateLimiter.Decision?
        if let rateLimiter, !isSandboxRoute, let account = try? store.authenticate(request) {
            let decision = rateLimiter.take(account.integration.id)
            limit = decision
            if !decision.allowed {
                var limited = forcedError(429).response
                limited.headers.add(rateLimitHeaders: decision)
                return limited
            }
        }
        let forcedStatus = isSandboxRoute ? nil : request.headers["X-Mock-Status"]
        // A rule is only counted against its `times` when it is what decides the answer.
        let rule = isSandboxRoute || forcedStatus != nil ? nil : faults.match(request.method, request.path)
        if let text = forcedStatus {
            guard let status = Int(text.trimmingSpaces), (400...599).contains(status) else {
                return PaystackError.invalid(SandboxMessages.mockStatusInvalid).response
            }
            // The store is not touched: the route does not run.
            response = forcedError(status).response
        } else if let rule, let status = rule.status {
            var error = forcedError(status)
            if let message = rule.message { error = PaystackError(status: status, message: message, code: error.code) }
            response = error.response
        } else {
            response = routes.respond(to: request)
        }
        response.delayMilliseconds = delay + (rule?.delayMs ?? 0)
        if let limit { response.headers.add(rateLimitHeaders: limit) }
        return response
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

/// Paystack's envelope for a status forced with `X-Mock-Status`.
func forcedError(_ status: Int) -> PaystackError {
    switch status {
    case 429: PaystackError(status: 429, message: "Rate limit exceeded!", code: .rateLimited)
    case 500...599: PaystackError(status: status, message: "An error occurred, please try again later", code: .unknown)
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
