import EventHTTP
import Foundation
import HTTPTestSupport
import JSON
@testable import PaystackAPI
@testable import PaystackCore
import PaystackMock
import Platform
@testable import Sandbox
import Synchronization
import Testing
@testable import Webhooks

private let bundledSeed = Fixtures.bundledSeed
private let auth = ["Authorization": "Bearer \(Keys.acmeTest)"]

/// `--state-file` with the real binary: restarts, kill -9, torn and damaged logs.
@Suite(.serialized) struct StateFileTests {
    let folder = TemporaryFolder("paystack-mock-state")
    var stateFile: String { folder.file("state.json") }
    var logFile: String { stateFile + ".log" }

    private func start(_ extra: [String] = []) throws -> MockProcess {
        try MockProcess(arguments: ["--port", "0", "--seed-data", bundledSeed, "--workers", "2", "--log-level", "warning", "--state-file", stateFile] + extra).start()
    }

    private func create(_ port: Int, _ email: String) throws -> Reply {
        try httpRequest(port: port, "POST", "/customer", headers: auth.merging(["Content-Type": "application/json"]) { $1 },
                        body: jsonBody(["email": email]))
    }

    @Test func everyAcknowledgedCreateSurvivesKill9() throws {
        let mock = try start()
        let port = mock.port
        let acknowledged = LockedValue<[String: String]>([:])
        let stop = Atomic<Bool>(false)
        let clients = (0..<4).map { client in
            Thread {
                var index = 0
                while !stop.load(ordering: .relaxed) {
                    let email = "stream-\(client)-\(index)@example.com"
                    index += 1
                    guard let reply = try? create(port, email), reply.status == 200,
                          let code = reply.data["customer_code"] as? String else { continue }
                    acknowledged.withLock { $0[email] = code }
                }
            }
        }
        clients.forEach { $0.start() }
        let deadline = Date().addingTimeInterval(20)
        while acknowledged.withLock({ $0.count }) < 400 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        mock.signal(SIGKILL)  // while the clients are still sending
        _ = mock.waitForExit()
        stop.store(true, ordering: .relaxed)
        Thread.sleep(forTimeInterval: 0.2)
        let saved = acknowledged.withLock { $0 }
        #expect(saved.count >= 400)

        let again = try start()
        defer { again.stop() }
        for (email, code) in saved {
            let fetched = try httpRequest(port: again.port, "GET", "/customer/\(email)", headers: auth)
            #expect(fetched.status == 200, "\(email) was acknowledged, then lost")
            #expect(fetched.data["customer_code"] as? String == code)
        }
        let fresh = try create(again.port, "after-restart@example.com")
        let ids = saved.keys.compactMap { email in
            try? httpRequest(port: again.port, "GET", "/customer/\(email)", headers: auth).data["id"] as? Int
        }
        #expect((fresh.data["id"] as? Int ?? 0) > ids.max() ?? .max, "ids continue after the restored ones")
    }

    @Test func updatesRiskActionsDeactivationsAndResetsArePersisted() throws {
        let mock = try start()
        let port = mock.port
        #expect(try create(port, "kept@example.com").status == 200)
        let list = try httpRequest(port: port, "GET", "/customer?perPage=100", headers: auth).list
        let withCard = try list.compactMap { item -> (String, String)? in
            let code = item["customer_code"] as! String
            let fetched = try httpRequest(port: port, "GET", "/customer/\(code)", headers: auth)
            guard let card = (fetched.data["authorizations"] as? [[String: Any]])?.first?["authorization_code"] as? String else { return nil }
            return (code, card)
        }.first!
        let json = auth.merging(["Content-Type": "application/json"]) { $1 }
        #expect(try httpRequest(port: port, "PUT", "/customer/kept@example.com", headers: json, body: jsonBody(["first_name": "Kept"])).status == 200)
        #expect(try httpRequest(port: port, "POST", "/customer/set_risk_action", headers: json,
                                body: jsonBody(["customer": "kept@example.com", "risk_action": "deny"])).status == 200)
        #expect(try httpRequest(port: port, "POST", "/customer/authorization/deactivate", headers: json,
                                body: jsonBody(["authorization_code": withCard.1])).status == 200)
        mock.signal(SIGKILL)
        _ = mock.waitForExit()

        let second = try start()
        let kept = try httpRequest(port: second.port, "GET", "/customer/kept@example.com", headers: auth)
        #expect(kept.data["first_name"] as? String == "Kept")
        #expect(kept.data["risk_action"] as? String == "deny")
        let owner = try httpRequest(port: second.port, "GET", "/customer/\(withCard.0)", headers: auth)
        let cards = (owner.data["authorizations"] as? [[String: Any]] ?? []).compactMap { $0["authorization_code"] as? String }
        #expect(!cards.contains(withCard.1), "a deactivated card stays deactivated")
        #expect(try httpRequest(port: second.port, "POST", "/customer/authorization/deactivate", headers: json,
                                body: jsonBody(["authorization_code": withCard.1])).status == 404)
        #expect(try httpRequest(port: second.port, "POST", "/_sandbox/reset").status == 200)
        second.signal(SIGKILL)
        _ = second.waitForExit()

        let third = try start()
        defer { third.stop() }
        #expect(try httpRequest(port: third.port, "GET", "/customer/kept@example.com", headers: auth).status == 404, "the reset was persisted")
        #expect(try httpRequest(port: third.port, "GET", "/customer/\(withCard.0)", headers: auth).status == 200)
    }

    @Test func aSecretKeyFirstGivenOnALaterStartOpensItsIntegration() throws {
        let first = try start()
        #expect(try create(first.port, "before@example.com").status == 200)
        first.stop()
        let newKey = "sk_test_" + String(repeating: "9z", count: 20)
        let second = try start(["--secret-key", newKey])
        #expect(try httpRequest(port: second.port, "GET", "/customer", headers: ["Authorization": "Bearer \(newKey)"]).status == 200)
        #expect(try httpRequest(port: second.port, "GET", "/customer/before@example.com", headers: auth).status == 200)
        second.stop()
        let third = try start()
        defer { third.stop() }
        #expect(try httpRequest(port: third.port, "GET", "/customer", headers: ["Authorization": "Bearer \(newKey)"]).status == 200,
                "the integration is part of the state from then on")
    }

    @Test func aTornLastRecordIsDroppedWithAWarning() throws {
        let mock = try start()
        #expect(try create(mock.port, "whole@example.com").status == 200)
        mock.stop()
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: logFile))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"op":"customer","customer":{"id":99999999,"integration":463433,"dom"#.utf8))
        try handle.close()

        let again = try start()
        defer { again.stop() }
        #expect(again.port > 0, "start-up goes on")
        #expect(try httpRequest(port: again.port, "GET", "/customer/whole@example.com", headers: auth).status == 200)
        again.stop()
        #expect(again.stderrText.contains("incomplete"), "a warning names the dropped record")
    }

    @Test func aDamagedLogStopsStartUp() throws {
        let mock = try start()
        #expect(try create(mock.port, "one@example.com").status == 200)
        #expect(try create(mock.port, "two@example.com").status == 200)
        mock.signal(SIGKILL)
        _ = mock.waitForExit()
        var lines = try String(contentsOfFile: logFile, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "a generation mark, then one line per create")
        #expect(lines[0].hasPrefix(#"{"op":"generation""#))
        lines[1] = "{\"op\":\"customer\",\"customer\":{garbage"
        try (lines.joined(separator: "\n") + "\n").write(toFile: logFile, atomically: false, encoding: .utf8)

        let (status, errors) = try MockProcess(
            arguments: ["--port", "0", "--seed-data", bundledSeed, "--state-file", stateFile]).runToExit()
        #expect(status == 1)
        #expect(errors.contains("state.json.log: record 2"), "the error names the log and the record: \(errors)")
        #expect(errors.contains("damaged"))
    }

    /// A crash after the new snapshot replaced the old one but before the new log was started: the
    /// old log (a create, a reset, another create) is already in the snapshot and is not replayed.
    @Test func aLogOlderThanItsSnapshotIsNotReplayedAgain() throws {
        let mock = try start()
        #expect(try create(mock.port, "gone@example.com").status == 200)
        #expect(try httpRequest(port: mock.port, "POST", "/_sandbox/reset").status == 200)
        #expect(try create(mock.port, "kept@example.com").status == 200)
        mock.signal(SIGKILL)
        _ = mock.waitForExit()
        let oldLog = try Data(contentsOf: URL(fileURLWithPath: logFile))
        let compacted = try start()
        compacted.stop()
        try oldLog.write(to: URL(fileURLWithPath: logFile))  // as if the crash came before the new log

        let again = try start()
        defer { again.stop() }
        #expect(try httpRequest(port: again.port, "GET", "/customer/kept@example.com", headers: auth).status == 200)
        #expect(try httpRequest(port: again.port, "GET", "/customer/gone@example.com", headers: auth).status == 404)
    }

    @Test func oneServerPerStateFile() throws {
        let first = try start()
        defer { first.stop() }
        let (status, errors) = try MockProcess(
            arguments: ["--port", "0", "--seed-data", bundledSeed, "--state-file", stateFile]).runToExit()
        #expect(status == 1)
        #expect(errors.contains("in use by another paystack-mock"), "\(errors)")
        #expect(try create(first.port, "still-mine@example.com").status == 200)
    }

    @Test func aDamagedSnapshotStopsStartUp() throws {
        try "{\"integrations\": [".write(toFile: stateFile, atomically: false, encoding: .utf8)
        let (status, errors) = try MockProcess(
            arguments: ["--port", "0", "--seed-data", bundledSeed, "--state-file", stateFile]).runToExit()
        #expect(status == 1)
        #expect(errors.contains("state.json"), "\(errors)")
    }

    @Test func aRejectedStateDocumentChangesNothingOnDisk() throws {
        let mock = try start()
        #expect(try create(mock.port, "stays@example.com").status == 200)
        let before = try Data(contentsOf: URL(fileURLWithPath: logFile))
        let bad = try httpRequest(port: mock.port, "PUT", "/_sandbox/state", headers: ["Content-Type": "application/json"],
                                  body: Array(#"{"integrations": [{"id": "x"}]}"#.utf8))
        #expect(bad.status == 400)
        #expect(try Data(contentsOf: URL(fileURLWithPath: logFile)) == before)
        mock.stop()
        let again = try start()
        defer { again.stop() }
        #expect(try httpRequest(port: again.port, "GET", "/customer/stays@example.com", headers: auth).status == 200)
    }
}
