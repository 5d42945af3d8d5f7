import EventHTTP
#if canImport(Glibc)
import Glibc
#endif

/// The admin routes under `/_sandbox/`: health, reset and the clock. (State export, the request
/// journal, fault rules and webhooks are to come.)
struct SandboxAPI: Sendable {
    static let version = "0.1.0"

    let store: CustomerStore
    let seed: SeedData
    let options: SandboxOptions
    let faults: FaultRules
    let journal: RequestJournal?
    let webhooks: WebhookDispatcher
    let startedAt: UInt64

    func register(in router: inout Router<RouteHandler>) {
        guard options.adminEnabled else { return }
        router.add(.GET, "/_sandbox/health") { request, _ in answer { try health(request) } }
        router.add(.POST, "/_sandbox/reset") { request, _ in answer { try reset(request) } }
        router.add(.GET, "/_sandbox/state") { request, _ in answer { try exportState(request) } }
        router.add(.PUT, "/_sandbox/state") { request, _ in answer { try importState(request) } }
        router.add(.GET, "/_sandbox/clock") { request, _ in answer { try clock(request) } }
        router.add(.POST, "/_sandbox/faults") { request, _ in answer { try addFault(request) } }
        router.add(.GET, "/_sandbox/faults") { request, _ in answer { try listFaults(request) } }
        router.add(.DELETE, "/_sandbox/faults") { request, _ in answer { try clearFaults(request) } }
        router.add(.POST, "/_sandbox/clock") { request, _ in answer { try setClock(request) } }
        router.add(.GET, "/_sandbox/requests") { request, _ in answer { try listRequests(request) } }
        router.add(.DELETE, "/_sandbox/requests") { request, _ in answer { try clearRequests(request) } }
        router.add(.GET, "/_sandbox/webhook") { request, _ in answer { try webhookTargets(request) } }
        router.add(.PUT, "/_sandbox/webhook") { request, _ in answer { try setWebhookTarget(request) } }
        router.add(.GET, "/_sandbox/webhooks") { request, _ in answer { try listWebhooks(request) } }
        router.add(.DELETE, "/_sandbox/webhooks") { request, _ in answer { try clearWebhooks(request) } }
        router.add(.POST, "/_sandbox/webhooks/test") { request, _ in answer { try testWebhook(request) } }
        router.add(.POST, "/_sandbox/webhooks/{id}/redeliver") { request, parameters in
            answer { try redeliverWebhook(request, parameters["id"] ?? "") }
        }
    }

    /// `GET /_sandbox/requests`: the journal, newest first; filters `method`, `path` (a pattern with
    /// `*`), `status`, `integration`, `since` (a date), and `limit` (default all it holds).
    func listRequests(_ request: HTTPRequest) throws(PaystackError) -> HTTPResponse {
        try authorize(request)
        guard let journal else { throw PaystackError.notFound(SandboxMessages.journalOff) }
        var filter = JournalFilter()
        let query = request.query
        if let text = query["method"] {
            guard let method = HTTPMethod(rawValue: text.uppercased()) else { throw PaystackError.invalid(SandboxMessages.faultMethodInvalid) }
            filter.method = method
        }
        if let path = query["path"], !path.isEmpty { filter.path = path }
        if let text = query["status"] {
            guard let status = Int(text), (100...599).contains(status) else { throw PaystackError.invalid(SandboxMessages.journalStatusInvalid) }
            filter.status = status
        }
        if let text = query["integration"] {
            if let id = Int(text) {
                filter.integration = id
            } else if let integration = store.integration(forSecretKey: text) {
                filter.integration = integration.id
            } else {
                throw PaystackError.notFound(SandboxMessages.unknownIntegration)
            }
        }
        if let text = query["since"] {
            guard let since = Timestamp.parse(text) else { throw PaystackError.invalid(SandboxMessages.sinceMustBeDate) }
            filter.since = since.timestamp
        }
        var limit = journal.capacity
        if let text = query["limit"] {
            guard let value = Int(text), value >= 1 else { throw PaystackError.invalid(SandboxMessages.limitInvalid) }
            limit = value
        }
        let entries = journal.entries(matching: filter, limit: limit)
        return success(SandboxMessages.requests, capacity: 1024 + entries.count * 1024) { writer in
            writer.beginArray()
            for entry in entries { writeEntry(entry, &writer) }
            writer.endArray()
        } meta: { writer in
            writer.beginObject()
            writer.key("total"); writer.int(entries.count)
            writer.key("capacity"); writer.int(journal.capacity)
            writer.endObject()
        }
    }

    func clearRequests(_ request: HTTPRequest) throws(PaystackError) -> HTTPResponse {
        try authorize(request)
        guard let journal else { throw PaystackError.notFound(SandboxMessages.journalOff) }
        journal.clear()
        return success(SandboxMessages.requestsCleared)
    }

    private func writeEntry(_ entry: JournalEntry, _ writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("id"); writer.int(entry.sequence + 1)
        writer.key("time"); writer.timestamp(entry.time)
        writer.key("method"); writer.plainString(entry.method.rawValue)
        writer.key("path"); writer.string(entry.path)
        writer.key("query"); writer.string(entry.query)
        writer.key("headers")
        writer.beginObject()
        for (name, value) in entry.headers {
            writer.key(escaping: name.asciiLowercased)
            writer.string(value)
        }
        writer.endObject()
        writer.key("body"); writer.string(String(decoding: entry.body, as: UTF8.self))
        writer.key("status"); writer.int(entry.status)
        writer.key("response_body"); writer.string(String(decoding: entry.responseBody, as: UTF8.self))
        writer.key("duration_ms"); writer.double(Double(entry.durationMicroseconds) / 1000)
        writer.key("integration"); if let id = entry.integration { writer.int(id) } else { writer.null() }
        writer.endObject()
    }

    /// `GET /_sandbox/state`: the whole store as one seed document (loadable with `--seed-data FILE`).
    func exportState(_ request: HTTPRequest) throws(PaystackError) -> HTTPResponse {
        try authorize(request)
        return .json(200, StateDocument.export(store))
    }

    /// `PUT /_sandbox/state`: replaces the whole store with a seed document. Validated first and
    /// applied in one swap: a bad document gets a 400 naming the problem and changes nothing.
    func importState(_ request: HTTPRequest) throws(PaystackError) -> HTTPResponse {
        try authorize(request)
        let state: SeedData
        do {
            state = try SeedLoader.decode(document: request.body, name: "state")
        } catch {
            throw PaystackError.invalid(error.description)
        }
        try store.stateLog?.appendDurably(StateDocument.record(state: StateDocument.export(state)))
        store.load(state)
        return success(SandboxMessages.stateReplaced(integrations: state.integrations.count, customers: state.customerCount))
    }

    /// `POST /_sandbox/faults`: `{method, path, status, message, delay_ms, times, probability}`;
    /// `path` (default `*`) may use `*`; at least one of `status` and `delay_ms`.
    func addFault(_ request: HTTPRequest) throws(PaystackError) -> HTTPResponse {
        try authorize(request)
        let body = try RequestBody(request)
        var method: HTTPMethod?
        if let text = try body.string("method") {
            guard let parsed = HTTPMethod(rawValue: text.uppercased()) else { throw PaystackError.invalid(SandboxMessages.faultMethodInvalid) }
            method = parsed
        }
        let path = try body.string("path") ?? "*"
        let status = try integer(body, "status", in: 400...599, SandboxMessages.faultStatusInvalid)
        let delay = try integer(body, "delay_ms", in: 0...SandboxResponder.maximumDelayMilliseconds, SandboxMessages.mockDelayInvalid)
        let times = try integer(body, "times", in: 1...1_000_000_000, SandboxMessages.faultTimesInvalid)
        var probability = 1.0
        switch body.fields["probability"] {
        case nil: break
        case .number(let text)? where Double(text).map({ (0...1).contains($0) }) == true: probability = Double(text)!
        default: throw PaystackError.invalid(SandboxMessages.faultProbabilityInvalid)
        }
        guard status != nil || delay != nil else { throw PaystackError.invalid(SandboxMessages.faultNeedsAnEffect) }
        let rule = faults.add(FaultRule(
            id: 0, method: method, path: path, status: status, message: try body.string("message"), delayMs: delay ?? 0,
            times: times, probability: probability))
        return success(SandboxMessages.faultAdded) { writeFault(rule, &$0) }
    }

    func listFaults(_ request: HTTPRequest) throws(PaystackError) -> HTTPResponse {
        try authorize(request)
        let rules = faults.all
        return success(SandboxMessages.faults) { writer in
            writer.beginArray()
            for rule in rules { writeFault(rule, &writer) }
            writer.endArray()
        }
    }

    func clearFaults(_ request: HTTPRequest) throws(PaystackError) -> HTTPResponse {
        try authorize(request)
        faults.clear()
        return success(SandboxMessages.faultsCleared)
    }

    private func integer(_ body: RequestBody, _ name: String, in range: ClosedRange<Int>, _ message: String) throws(PaystackError) -> Int? {
        switch body.fields[name] {
        case nil: return nil
        case .number(let text)? where Int(text).map(range.contains) == true: return Int(text)
        // A form has only strings; JSON must use numbers.
        case .string(let text)? where body.isForm && Int(text).map(range.contains) == true: return Int(text)
        default: throw PaystackError.invalid(message)
        }
    }

    private func writeFault(_ rule: FaultRule, _ writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("id"); writer.int(rule.id)
        writer.key("method"); writer.string(rule.method?.rawValue)
        writer.key("path"); writer.string(rule.path)
        writer.key("status"); if let status = rule.status { writer.int(status) } else { writer.null() }
        writer.key("message"); writer.string(rule.message)
        writer.key("delay_ms"); writer.int(rule.delayMs)
        writer.key("times"); if let times = rule.times { writer.int(times) } else { writer.null() }
        writer.key("probability"); writer.double(rule.probability)
        writer.endObject()
    }

    /// `GET /_sandbox/clock`: the server's now and whether it is frozen.
    func clock(_ request: HTTPRequest) throws(PaystackError) -> HTTPResponse {
        try authorize(request)
        return clockAnswer()
    }

    /// `POST /_sandbox/clock` with any of `{"now": "2024-01-01T00:00:00.000Z", "advance": 3600,
    /// "freeze": true}`: freezing first, then setting, then advancing. It stamps `createdAt` and
    /// `updatedAt` from then on.
    func setClock(_ request: HTTPRequest) throws(PaystackError) -> HTTPResponse {
        try authorize(request)
        let body = try RequestBody(request)
        var freeze: Bool?
        switch body.fields["freeze"] {
        case nil: break
        case .bool(let value)?: freeze = value
        case .string("true")? where body.isForm: freeze = true
        case .string("false")? where body.isForm: freeze = false
        default: throw PaystackError.invalid(SandboxMessages.freezeMustBeBoolean)
        }
        var now: Timestamp?
        if let text = try body.string("now") {
            guard let parsed = Timestamp.parse(text) else { throw PaystackError.invalid(SandboxMessages.nowMustBeDate) }
            now = parsed.timestamp
        }
        let advance = try integer(body, "advance", in: Int.min...Int.max, SandboxMessages.advanceMustBeSeconds).map(Int64.init)
        guard freeze != nil || now != nil || advance != nil else { throw PaystackError.invalid(SandboxMessages.clockNeedsAChange) }
        let clock = store.clock
        if freeze == true { clock.freeze() }
        if freeze == false { clock.unfreeze() }
        if let now { clock.set(now) }
        if let advance { clock.advance(bySeconds: advance) }
        return clockAnswer()
    }

    private func clockAnswer() -> HTTPResponse {
        let clock = store.clock
        let now = clock.now()
        let frozen = clock.isFrozen
        return success(SandboxMessages.clock) { writer in
            writer.beginObject()
            writer.key("now"); writer.timestamp(now)
            writer.key("frozen"); writer.bool(frozen)
            writer.endObject()
        }
    }

    /// `GET /_sandbox/health`: status, version, uptime, counts.
    func health(_ request: HTTPRequest) throws(PaystackError) -> HTTPResponse {
        try authorize(request)
        let uptime = Int((monotonicNanoseconds() - startedAt) / 1_000_000_000)
        let integrations = store.integrations.count
        let customers = store.customerCount
        return success(SandboxMessages.healthy) { writer in
            writer.beginObject()
            writer.key("version"); writer.plainString(Self.version)
            writer.key("uptime_seconds"); writer.int(uptime)
            writer.key("integrations"); writer.int(integrations)
            writer.key("customers"); writer.int(customers)
            writer.endObject()
        }
    }

    /// `POST /_sandbox/reset`: back to the seed state; `{"integration": ID or secret key}` resets
    /// only that integration (both domains).
    func reset(_ request: HTTPRequest) throws(PaystackError) -> HTTPResponse {
        try authorize(request)
        let body = try RequestBody(request)
        guard let target = body.fields["integration"] else {
            try store.stateLog?.appendDurably(StateDocument.record(state: StateDocument.export(seed)))
            store.load(seed, restartingIDs: true)
            options.applyDeterministicStart(for: seed, clock: store.clock, random: store.random)
            return success(SandboxMessages.resetAll)
        }
        let books = try self.books(named: target)
        let integrationID = books.integration.id
        let ledgers = seed.ledgers(of: integrationID)
        if let stateLog = store.stateLog {
            let document = StateDocument.export(books.integration, test: ledgers.test, live: ledgers.live)
            try stateLog.appendDurably(StateDocument.record(state: document, integration: integrationID))
        }
        books.replaceLedgers(test: ledgers.test, live: ledgers.live)
        return success(SandboxMessages.resetOne(integrationID))
    }

    /// The integration an `integration` member names: its id (number or digits) or one of its secret keys.
    func books(named target: JSONValue) throws(PaystackError) -> IntegrationBooks {
        let integrationID: Int
        switch target {
        case .number(let text) where Int(text) != nil:
            integrationID = Int(text)!
        case .number(let text) where text.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: "-") }):
            // A whole number too large for any id.
            throw PaystackError.notFound(SandboxMessages.unknownIntegration)
        case .string(let text) where Int(text) != nil:
            integrationID = Int(text)!
        case .string(let key):
            guard let integration = store.integration(forSecretKey: key) else {
                throw PaystackError.notFound(SandboxMessages.unknownIntegration)
            }
            integrationID = integration.id
        default:
            throw PaystackError.invalid(SandboxMessages.integrationMustBeIDOrKey)
        }
        guard let books = store.books(of: integrationID) else { throw PaystackError.notFound(SandboxMessages.unknownIntegration) }
        return books
    }

    func authorize(_ request: HTTPRequest) throws(PaystackError) {
        guard let token = options.adminToken else { return }
        guard let header = request.headers["Authorization"], let given = bearerToken(header),
              constantTimeEquals(Array(token.utf8), given)
        else { throw PaystackError.unauthorized(SandboxMessages.adminTokenRequired) }
    }
}

private func constantTimeEquals(_ expected: [UInt8], _ given: String) -> Bool {
    var given = given
    return given.withUTF8 { constantTimeEquals(expected, $0) }
}

public enum SandboxMessages {
    public static let healthy = "Sandbox is healthy"
    public static let requests = "Recorded requests"
    public static let requestsCleared = "Request journal cleared"
    public static let journalOff = "The request journal is off (--journal-size 0)"
    public static let journalStatusInvalid = "\"status\" must be an HTTP status such as 404"
    public static let sinceMustBeDate = "\"since\" must be a date such as 2024-01-01T00:00:00.000Z"
    public static let limitInvalid = "\"limit\" must be a whole number from 1"
    public static let resetAll = "Sandbox reset to the seed data"
    public static func resetOne(_ id: Int) -> String { "Integration \(id) reset to the seed data" }
    public static let unknownIntegration = "No such integration"
    public static let integrationMustBeIDOrKey = "\"integration\" must be an integration id or a secret key"
    public static let adminTokenRequired = "A valid admin token is required: Authorization: Bearer <admin token>"
    public static let clock = "Sandbox clock"
    public static let faultAdded = "Fault rule added"
    public static let faults = "Fault rules"
    public static let faultsCleared = "Fault rules cleared"
    public static let faultMethodInvalid = "\"method\" must be an HTTP method such as POST"
    public static let faultStatusInvalid = "\"status\" must be an HTTP status from 400 to 599"
    public static let faultTimesInvalid = "\"times\" must be a whole number from 1 to 1000000000"
    public static let faultProbabilityInvalid = "\"probability\" must be a number from 0 to 1"
    public static let faultNeedsAnEffect = "Give \"status\", \"delay_ms\" or both"
    public static func stateReplaced(integrations: Int, customers: Int) -> String {
        "State replaced: \(integrations) integrations, \(customers) customers"
    }
    public static let freezeMustBeBoolean = "\"freeze\" must be a boolean"
    public static let nowMustBeDate = "\"now\" must be a date such as 2024-01-01T00:00:00.000Z"
    public static let advanceMustBeSeconds = "\"advance\" must be a whole number of seconds"
    public static let clockNeedsAChange = "Give \"now\", \"advance\" or \"freeze\""
    public static let mockStatusInvalid = "X-Mock-Status must be an HTTP status from 400 to 599"
    public static let mockDelayInvalid = "X-Mock-Delay must be a number of milliseconds from 0 to 60000"
}
