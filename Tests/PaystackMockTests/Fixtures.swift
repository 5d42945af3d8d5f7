import EventHTTP
import Foundation
import HTTPTestSupport
import Logging
import Testing
@testable import PaystackMock

enum Keys {
    static let acmeTest = "sk_test_" + String(repeating: "a1", count: 20)
    static let acmeLive = "sk_live_" + String(repeating: "b2", count: 20)
    static let acmePublic = "pk_test_" + String(repeating: "c3", count: 20)
    static let savannaTest = "sk_test_" + String(repeating: "e5", count: 20)
    static let savannaLive = "sk_live_" + String(repeating: "f6", count: 20)
}

enum Fixtures {
    static let acme = Integration(
        id: 463433, businessName: "Acme", secretKeys: [.test: Keys.acmeTest, .live: Keys.acmeLive],
        publicKeys: [.test: Keys.acmePublic])
    static let savanna = Integration(
        id: 512870, businessName: "Savanna", secretKeys: [.test: Keys.savannaTest, .live: Keys.savannaLive],
        forbidsAllowRiskAction: true)

    /// Acme test: `count` customers a day apart from 2024-01-01; one live customer; one Savanna customer.
    static func seed(count: Int = 0, authorizations: Bool = true) -> SeedData {
        var customers: [Customer] = []
        let start = Timestamp.parse("2024-01-01T10:00:00.000Z")!.timestamp.seconds
        for index in 0..<count {
            let created = Timestamp(seconds: start + Int64(index) * 86_400)
            customers.append(Customer(
                id: 1000 + index, integration: acme.id, domain: .test, customerCode: code(index),
                email: "customer\(index)@example.com", createdAt: created, updatedAt: created))
        }
        let liveCreated = Timestamp(seconds: start)
        customers.append(Customer(
            id: 5000, integration: acme.id, domain: .live, customerCode: "CUS_live0000000000a",
            email: "live@example.com", createdAt: liveCreated, updatedAt: liveCreated))
        var savannaCustomer = Customer(
            id: 6000, integration: savanna.id, domain: .test, customerCode: "CUS_savanna00000000",
            email: "savanna@example.com", firstName: "Sava", createdAt: liveCreated, updatedAt: liveCreated)
        if authorizations {
            savannaCustomer.authorizations = [card("AUTH_savanna001")]
        }
        customers.append(savannaCustomer)
        if authorizations && count > 0 {
            customers[0].authorizations = [card("AUTH_first00001"), card("AUTH_first00002")]
        }
        return try! SeedData(integrations: [acme, savanna], customers: customers)
    }

    static func code(_ index: Int) -> String {
        let digits = String(index)
        return "CUS_" + String(repeating: "0", count: 15 - digits.count) + digits
    }

    static func card(_ code: String) -> Authorization {
        Authorization(
            authorizationCode: code, bin: "408408", last4: "4081", expMonth: "12", expYear: "2030", cardType: "visa ",
            bank: "TEST BANK", brand: "visa", signature: "SIG_yEXu7dLBeqG0kU7g95Ke")
    }

    /// The repository's own folders.
    static let repositoryRoot: String = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path
    }()
}

/// The mock on a real loopback port, in process (so tests can set its clock and count its store),
/// spoken to over HTTP/1.1 with the raw-socket client: every route test is an HTTP-level test.
struct Mock {
    let application: Application
    let clock: ServerClock
    private let server: RunningServer

    init(seed: SeedData = Fixtures.seed(count: 3), sandbox: SandboxOptions = SandboxOptions(), webhooks: WebhookOptions = WebhookOptions()) {
        clock = ServerClock()
        clock.set(Timestamp.parse("2025-06-01T12:00:00Z")!.timestamp)
        clock.freeze()
        application = Application(seed: seed, clock: clock, random: RandomSource(seed: 7), sandbox: sandbox, webhooks: webhooks)
        server = RunningServer(responder: application.responder)
    }

    var port: Int { server.port }

    func call(
        _ method: HTTPMethod, _ target: String, key: String? = Keys.acmeTest, json: [String: Any]? = nil,
        form: String? = nil, rawBody: String? = nil, contentType: String? = nil, authorization: String? = nil,
        extraHeaders: [String: String] = [:]
    ) -> Reply {
        var headers = extraHeaders
        if let authorization {
            headers["Authorization"] = authorization
        } else if let key {
            headers["Authorization"] = "Bearer \(key)"
        }
        var body: [UInt8] = []
        if let json {
            body = Array(try! JSONSerialization.data(withJSONObject: json))
            headers["Content-Type"] = "application/json"
        } else if let form {
            body = Array(form.utf8)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        } else if let rawBody {
            body = Array(rawBody.utf8)
        }
        if let contentType { headers["Content-Type"] = contentType }
        do {
            let raw = try httpRequest(port: server.port, method.rawValue, target, headers: headers, body: body)
            return Reply(HTTPResponse(status: raw.status, headers: HTTPHeaders(raw.headers), body: raw.body))
        } catch {
            Issue.record("\(method.rawValue) \(target) failed: \(error)")
            return Reply(HTTPResponse(status: 0))
        }
    }

    var customerCount: Int {
        application.store.integrations.reduce(0) { total, integration in
            let books = application.store.books(of: integration.id)!.snapshot()
            return total + books.test.count + books.live.count
        }
    }
}

/// A response with its body parsed by Foundation.
struct Reply {
    let response: HTTPResponse
    let json: [String: Any]

    init(_ response: HTTPResponse) {
        self.response = response
        json = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
    }

    var status: Int { response.status }
    var message: String? { json["message"] as? String }
    var data: [String: Any] { json["data"] as? [String: Any] ?? [:] }
    var list: [[String: Any]] { json["data"] as? [[String: Any]] ?? [] }
    var meta: [String: Any] { json["meta"] as? [String: Any] ?? [:] }
    var text: String { String(decoding: response.body, as: UTF8.self) }
    /// Member names in the order the server wrote them.
    var dataKeysInOrder: [String] { orderedKeys(of: "data") }

    private func orderedKeys(of member: String) -> [String] {
        guard case .object(let root)? = try? JSONParser.parse(response.body), case .object(let data)? = root[member] else { return [] }
        return data.members.map(\.key)
    }
}

/// An in-process server on an ephemeral loopback port, stopped when the last test value using it goes.
final class RunningServer: Sendable {
    private let server: HTTPServer
    let port: Int

    init(responder: any HTTPResponder) {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        server = HTTPServer(configuration: HTTPServerConfiguration(port: 0, workers: 1), responder: responder, logger: logger)
        try! server.start()
        port = server.port
    }

    deinit {
        server.shutdown()
        server.wait()
    }
}
