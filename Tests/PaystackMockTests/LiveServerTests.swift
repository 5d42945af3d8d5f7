import EventHTTP
import Foundation
import HTTPTestSupport
import JSON
@testable import PaystackAPI
@testable import PaystackCore
import PaystackMock
import Platform
@testable import Sandbox
import Testing
@testable import Webhooks

private let bundledSeed = Fixtures.bundledSeed
private let acmeKey = Keys.acmeTest

@Suite(.serialized) struct LiveServerTests {
    @Test func printsOneListeningLineAndServesTheBundledSeed() throws {
        let mock = try MockProcess(arguments: ["--port", "0", "--seed-data", bundledSeed, "--workers", "2"]).start()
        defer { mock.stop() }
        #expect(mock.firstLine == "paystack-mock listening on http://127.0.0.1:\(mock.port)")
        let list = try httpRequest(port: mock.port, "GET", "/customer/?perPage=10", headers: ["Authorization": "Bearer \(acmeKey)"])
        #expect(list.status == 200)
        #expect(list.list.count == 10)
        #expect((list.meta["total"] as? Int ?? 0) > 10, "the bundled seed paginates")
        let spec = try httpRequest(port: mock.port, "GET", "/openapi.yml")
        #expect(spec.status == 200, "the spec needs no key")
        #expect(spec.text.hasPrefix("openapi: 3"))
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func stopsCleanlyOnSignal(signal: Int32) throws {
        let mock = try MockProcess(arguments: ["--port", "0", "--seed-data", bundledSeed]).start()
        #expect(mock.port > 0)
        #expect(try httpRequest(port: mock.port, "GET", "/customer", headers: ["Authorization": "Bearer \(acmeKey)"]).status == 200)
        mock.signal(signal)
        #expect(mock.waitForExit() == 0)
        let log = mock.stderrText
        #expect(log.contains("GET /customer 200"), "one access-log line per request on stderr: \(log)")
    }

    /// Without `--workers` or `PAYSTACK_MOCK_WORKERS`: one event loop per two online cores, at least one.
    @Test func defaultsToOneEventLoopPerTwoCores() throws {
        let mock = try MockProcess(arguments: ["--port", "0", "--seed-data", bundledSeed]).start()
        mock.signal(SIGTERM)
        #expect(mock.waitForExit() == 0)
        let cores = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        let log = mock.stderrText
        #expect(log.contains("on \(max(1, cores / 2)) workers"), "one event loop per two cores (\(cores) online): \(log)")
    }

    /// The access log is written in batches off the request path: a burst of requests right before
    /// SIGTERM still leaves one line each on stderr, whole and in order per connection.
    @Test func everyAccessLineReachesStderrWhenStoppedRightAfterABurst() throws {
        let mock = try MockProcess(arguments: ["--port", "0", "--seed-data", bundledSeed, "--workers", "2"]).start()
        let connection = try RawHTTPConnection(port: mock.port)
        for index in 0..<500 {
            let reply = try connection.request("GET", "/customer/burst-\(index)", headers: ["Authorization": "Bearer \(acmeKey)"])
            #expect(reply.status == 404)
        }
        mock.signal(SIGTERM)
        #expect(mock.waitForExit() == 0)
        let lines = mock.stderrText.split(separator: "\n")
        let access = lines.filter { $0.contains(" GET /customer/burst-") }
        let others = lines.filter { !$0.contains(" GET /customer/burst-") }
        #expect(access.count == 500, "\(access.count) access lines of 500; the other lines: \(others.prefix(60).joined(separator: "\n"))")
        #expect(access.enumerated().allSatisfy { $0.element.contains("/customer/burst-\($0.offset) 404 ") }, "in order, whole")
        #expect(lines.last?.contains("signal 15: stopping") == true || lines.contains { $0.contains("signal 15: stopping") })
    }

    /// A start-up failure is the last thing on stderr: what was logged before it (batched) comes first.
    @Test func aStartUpFailureFollowsWhatWasLoggedBeforeIt() throws {
        let first = try MockProcess(arguments: ["--port", "0", "--seed-data", bundledSeed]).start()
        defer { first.stop() }
        let (status, errors) = try MockProcess(arguments: ["--port", String(first.port), "--webhook-insecure", "--seed-data", bundledSeed]).runToExit()
        #expect(status == 1)
        let lines = errors.split(separator: "\n")
        let warning = lines.firstIndex { $0.contains("--webhook-insecure") }
        let failure = lines.firstIndex { $0.contains("cannot listen on") }
        #expect(warning != nil && failure != nil && warning! < failure!, "\(errors)")
        #expect(failure == lines.count - 1, "the reason is the last line: \(errors)")
    }

    @Test func environmentVariablesConfigureAndFlagsWin() throws {
        let mock = try MockProcess(
            arguments: ["--port", "0"],
            environment: ["PAYSTACK_MOCK_PORT": "1", "PAYSTACK_MOCK_SEED_DATA": bundledSeed, "PAYSTACK_MOCK_SECRET_KEY": "sk_test_fromenvironment"]
        ).start()
        defer { mock.stop() }
        #expect(mock.port > 1, "--port 0 wins over PAYSTACK_MOCK_PORT")
        let reply = try httpRequest(port: mock.port, "GET", "/customer", headers: ["Authorization": "Bearer sk_test_fromenvironment"])
        #expect(reply.status == 200)
        #expect(reply.meta["total"] as? Int == 0, "a key from the command line opens an empty integration of its own")
    }

    @Test(arguments: [["--port", "abc"], ["--bogus"], ["--workers", "0"], ["--log-level", "loud"], ["--secret-key", "pk_test_x"], ["--port", "70000"],
        ["--journal-size", "-1"], ["--kyc-outcome", "maybe"], ["--kyc-delay", "-1"], ["--webhook-retries", "1s,soon"],
        ["--webhook-url", "ftp://example.com"], ["--webhook-timeout", "0"], ["--webhook-ca-file", "/nonexistent/ca.pem"]])
    func badFlagsExitWithStatus2(arguments: [String]) throws {
        let (status, errors) = try MockProcess(arguments: arguments + ["--seed-data", bundledSeed]).runToExit()
        #expect(status == 2)
        #expect(!errors.isEmpty)
    }

    /// The webhook flags reach the server: no retries, a 0 s KYC delay, the failed outcome forced.
    @Test func webhookFlagsConfigureDelivery() throws {
        let receiver = Receiver(statuses: [500])
        let mock = try MockProcess(arguments: [
            "--port", "0", "--seed-data", bundledSeed, "--log-level", "warning", "--kyc-delay", "0", "--kyc-outcome", "failed",
            "--webhook-url", receiver.url, "--webhook-retries", "none", "--webhook-timeout", "5",
        ]).start()
        defer { mock.stop() }
        let headers = ["Authorization": "Bearer \(acmeKey)", "Content-Type": "application/json"]
        let list = try httpRequest(port: mock.port, "GET", "/customer?perPage=1", headers: headers)
        let code = try #require(list.list.first?["customer_code"] as? String)
        let body = jsonBody(["country": "NG", "type": "bank_account", "account_number": "0111111111", "bvn": "222222222221",
                             "bank_code": "007", "first_name": "Uchenna", "last_name": "Okoro"])
        #expect(try httpRequest(port: mock.port, "POST", "/customer/\(code)/identification", headers: headers, body: body).status == 202)
        let delivery = try #require(receiver.waitFor(1).first)
        #expect(delivery.json["event"] as? String == "customeridentification.failed", "--kyc-outcome failed overrides the test credential")
        let deadline = Date().addingTimeInterval(10)
        var state: String?
        while state != "failed" && Date() < deadline {
            state = try httpRequest(port: mock.port, "GET", "/_sandbox/webhooks").list.first?["state"] as? String
            Thread.sleep(forTimeInterval: 0.02)
        }
        #expect(state == "failed", "with --webhook-retries none one 500 ends the delivery")
        #expect(receiver.received.count == 1)
    }

    @Test func malformedSeedStopsStartUpNamingFileRecordAndField() throws {
        let folder = TemporaryFolder("seed")
        try FileManager.default.copyItem(atPath: bundledSeed + "/integrations.json", toPath: folder.file("integrations.json"))
        try #"[{"integration": 463433, "domain": "test", "customer_code": "CUS_aaaaaaaaaaaaaaa", "email": "ok@example.com", "createdAt": "2024-01-01"},"#
            .appending(#" {"integration": 463433, "domain": "test", "customer_code": "CUS_bbbbbbbbbbbbbbb", "email": 42, "createdAt": "2024-01-02"}]"#)
            .write(toFile: folder.file("customers.json"), atomically: true, encoding: .utf8)
        let (status, errors) = try MockProcess(arguments: ["--port", "0", "--seed-data", folder.path]).runToExit()
        #expect(status == 1)
        #expect(errors.contains("customers.json"))
        #expect(errors.contains("record 1"))
        #expect(errors.contains("\"email\""))
    }

    /// The same requests, in the same order, against two runs (and after a reset) give the same bytes.
    @Test func deterministicModeRepeatsByteForByte() throws {
        func session(_ port: Int) throws -> [String] {
            let headers = ["Authorization": "Bearer \(acmeKey)", "Content-Type": "application/json"]
            var bodies: [String] = []
            for index in 0..<3 {
                bodies.append(try httpRequest(port: port, "POST", "/customer", headers: headers, body: jsonBody(["email": "det\(index)@example.com"])).text)
            }
            let code = (try? JSONSerialization.jsonObject(with: Data(bodies[0].utf8)) as? [String: Any])?["data"]
                .flatMap { ($0 as? [String: Any])?["customer_code"] as? String } ?? ""
            bodies.append(try httpRequest(port: port, "PUT", "/customer/\(code)", headers: headers, body: jsonBody(["first_name": "D"])).text)
            bodies.append(try httpRequest(port: port, "GET", "/customer?perPage=5&use_cursor=true", headers: headers).text)
            return bodies
        }
        var runs: [[String]] = []
        for _ in 0..<2 {
            let mock = try MockProcess(arguments: ["--port", "0", "--seed-data", bundledSeed, "--deterministic", "--log-level", "error"]).start()
            runs.append(try session(mock.port))
            _ = try httpRequest(port: mock.port, "POST", "/_sandbox/reset")
            runs.append(try session(mock.port))
            mock.stop()
        }
        #expect(runs[0].count == 5)
        // The bundled seed's newest customer was created on 2026-11-18: the clock starts the next midnight.
        #expect(runs[0][0].contains("\"createdAt\":\"2026-11-19T00:00:00.000Z\""), "\(runs[0][0])")
        for run in runs.dropFirst() {
            #expect(run == runs[0])
        }
        let random = try MockProcess(arguments: ["--port", "0", "--seed-data", bundledSeed, "--log-level", "error"]).start()
        defer { random.stop() }
        #expect(try session(random.port)[0] != runs[0][0], "without --deterministic codes and times differ")
    }

    @Test func exportedStateLoadsWithSeedDataFile() throws {
        let first = try MockProcess(arguments: ["--port", "0", "--seed-data", bundledSeed, "--log-level", "error"]).start()
        let headers = ["Authorization": "Bearer \(acmeKey)", "Content-Type": "application/json"]
        let created = try httpRequest(port: first.port, "POST", "/customer", headers: headers, body: jsonBody(["email": "carried@example.com"]))
        let state = try httpRequest(port: first.port, "GET", "/_sandbox/state")
        first.stop()
        let folder = TemporaryFolder("state")
        let file = folder.file("state.json")
        try Data(state.body).write(to: URL(fileURLWithPath: file))
        let second = try MockProcess(arguments: ["--port", "0", "--seed-data", file, "--log-level", "error"]).start()
        defer { second.stop() }
        let fetched = try httpRequest(port: second.port, "GET", "/customer/carried@example.com", headers: headers)
        #expect(fetched.status == 200)
        #expect(fetched.data["customer_code"] as? String == created.data["customer_code"] as? String)
    }

    @Test func simultaneousCreatesOfOneEmailYieldOneCustomer() throws {
        let mock = try MockProcess(arguments: ["--port", "0", "--seed-data", bundledSeed, "--workers", "2", "--log-level", "error"]).start()
        defer { mock.stop() }
        let headers = ["Authorization": "Bearer \(acmeKey)", "Content-Type": "application/json"]
        let port = mock.port
        for round in 0..<5 {
            let codes = LockedCodes()
            DispatchQueue.concurrentPerform(iterations: 8) { index in
                let email = index % 2 == 0 ? "race\(round)@example.com" : "RACE\(round)@Example.com"
                if let reply = try? httpRequest(port: port, "POST", "/customer", headers: headers, body: jsonBody(["email": email])),
                   let code = reply.data["customer_code"] as? String {
                    codes.add(code)
                }
            }
            #expect(codes.values.count == 8, "every create answered")
            #expect(Set(codes.values).count == 1, "one customer for one email")
        }
    }
}

final class LockedCodes: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func add(_ code: String) { lock.lock(); stored.append(code); lock.unlock() }
    var values: [String] { lock.lock(); defer { lock.unlock() }; return stored }
}
