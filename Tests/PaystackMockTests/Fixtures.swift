import EventHTTP
import Foundation
import HTTPTestSupport
import JSON
import Logging
@testable import PaystackAPI
@testable import PaystackCore
import PaystackMock
import Platform
@testable import Sandbox
import Testing
@testable import Webhooks

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

    /// The bundled seed-data folder (what `--seed-data` defaults to).
    static let bundledSeed = repositoryRoot + "/seed-data"

    /// The repository's own folders.
    static let repositoryRoot: String = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path
    }()
}

/// The mock in process: requests go straight to its responder, with no socket, so tests can also
/// set its clock and count its store. `live: true` also serves it on a loopback port, for what
/// needs the wire (delays, framing).
struct Mock {
    let application: Application
    let clock: ServerClock
    private let lifetime: Lifetime

    init(
        seed: SeedData = Fixtures.seed(count: 3), sandbox: SandboxOptions = SandboxOptions(),
        webhooks: WebhookOptions = WebhookOptions(), live: Bool = false
    ) {
        clock = ServerClock()
        clock.freeze(at: Timestamp.parse("2025-06-01T12:00:00Z")!.timestamp)
        application = try! Application(seed: seed, clock: clock, random: RandomSource(seed: 7), sandbox: sandbox, webhooks: webhooks)
        lifetime = Lifetime(application, live: live)
    }

    var port: Int {
        guard let server = lifetime.server else { preconditionFailure("Mock(live: true) serves on a port") }
        return server.port
    }

    func call(
        _ method: HTTPMethod, _ target: String, key: String? = Keys.acmeTest, json: [String: Any]? = nil,
        form: String? = nil, rawBody: String? = nil, contentType: String? = nil, authorization: String? = nil,
        extraHeaders: [String: String] = [:]
    ) -> Reply {
        var headers = HTTPHeaders(extraHeaders.map { ($0.key, $0.value) })
        if let authorization {
            headers.set("Authorization", authorization)
        } else if let key {
            headers.set("Authorization", "Bearer \(key)")
        }
        var body: [UInt8] = []
        if let json {
            body = Array(try! JSONSerialization.data(withJSONObject: json))
            headers.set("Content-Type", "application/json")
        } else if let form {
            body = Array(form.utf8)
            headers.set("Content-Type", "application/x-www-form-urlencoded")
        } else if let rawBody {
            body = Array(rawBody.utf8)
        }
        if let contentType { headers.set("Content-Type", contentType) }
        let response = application.responder.respond(to: HTTPRequest(method: method, target: target, headers: headers, body: body))
        return Reply(status: response.status, headers: response.headers.fields, body: method == .HEAD ? [] : response.body)
    }

    var customerCount: Int { application.store.customerCount }
}

extension Reply {
    /// Member names of `data` in the order the server wrote them.
    var dataKeysInOrder: [String] {
        guard case .object(let root)? = try? JSONParser.parse(body), case .object(let data)? = root["data"] else { return [] }
        return data.members.map(\.key)
    }
}

/// Runs a mock's threads (its background loop, and with `live` its HTTP loops on an ephemeral
/// loopback port) and stops and joins them all when the last copy of the mock goes.
final class Lifetime: Sendable {
    let application: Application
    let server: MockServer?

    init(_ application: Application, live: Bool) {
        self.application = application
        if live {
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let server = MockServer(application: application, configuration: HTTPServerConfiguration(port: 0, workers: 1), logger: logger)
            try! server.start()
            self.server = server
        } else {
            try! application.background.start()
            server = nil
        }
    }

    deinit {
        if let server {
            server.stop()
        } else {
            application.background.stop(deadlineNanoseconds: 0)
        }
    }
}

/// A bare HTTP server on an ephemeral loopback port (a webhook receiver), stopped and joined when
/// the value goes.
final class RunningServer: Sendable {
    private let server: HTTPServer
    let port: Int

    init(responder: any HTTPResponder, host: String = "127.0.0.1") {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        server = HTTPServer(configuration: HTTPServerConfiguration(host: host, port: 0, workers: 1), responder: responder, logger: logger)
        try! server.start()
        port = server.port
    }

    deinit {
        server.shutdown()
        server.wait()
    }
}

/// A folder of its own under the system's temporary folder, removed with everything in it when the
/// value goes.
final class TemporaryFolder: Sendable {
    let path: String

    init(_ label: String = "paystack-mock") {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
