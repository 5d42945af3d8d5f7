import Foundation
import HTTPTestSupport
import Platform
import Synchronization
import Testing

private let json = ["Authorization": "Bearer \(Keys.acmeTest)", "Content-Type": "application/json"]

/// Runs a command (mount, umount); its exit status.
@discardableResult
private func run(_ command: String, _ arguments: [String]) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: command)
    process.arguments = arguments
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
}

/// Write-ahead against a real failing disk, and resets racing creates: memory, log and answers agree.
@Suite(.serialized) struct DurabilityTests {
    let folder = TemporaryFolder("paystack-mock-durability")

    /// A full tmpfs refuses the log's append: the create is answered 500 and is not in memory; once
    /// there is room again the same email is new, and a restart holds exactly what was acknowledged.
    @Test(.enabled(if: getuid() == 0, "mounting a tmpfs needs root"))
    func aChangeTheDiskRefusesIsNeitherAppliedNorReplayed() throws {
        let disk = folder.file("disk")
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        try #require(try run("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", disk]) == 0)
        defer { _ = try? run("/bin/umount", [disk]) }
        let arguments = ["--port", "0", "--seed-data", "none", "--secret-key", Keys.acmeTest, "--log-level", "error", "--state-file", disk + "/state.json"]
        let mock = try MockProcess(arguments: arguments).start()
        // Fill what is left of the disk.
        let filler = disk + "/filler"
        _ = FileManager.default.createFile(atPath: filler, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: filler))
        while (try? handle.write(contentsOf: Data(repeating: 0, count: 1024))) != nil {}
        try? handle.close()

        var acknowledged: [String] = []
        var refused: String?
        for index in 0..<200 {
            let email = "disk\(index)@example.com"
            let reply = try httpRequest(port: mock.port, "POST", "/customer", headers: json, body: jsonBody(["email": email]))
            if reply.status == 200 {
                acknowledged.append(email)
            } else {
                #expect(reply.status == 500)
                #expect(reply.message == "Could not write the state file: No space left on device", "\(reply.text)")
                refused = email
                break
            }
        }
        let email = try #require(refused, "the full disk refused a write")
        let fetched = try httpRequest(port: mock.port, "GET", "/customer/\(email)", headers: json)
        #expect(fetched.status == 404, "the refused create is not in memory")
        let listed = try httpRequest(port: mock.port, "GET", "/customer", headers: json)
        #expect(listed.meta["total"] as? Int == acknowledged.count)

        try FileManager.default.removeItem(atPath: filler)
        let retried = try httpRequest(port: mock.port, "POST", "/customer", headers: json, body: jsonBody(["email": email]))
        #expect(retried.status == 200)
        acknowledged.append(email)
        mock.signal(SIGKILL)
        _ = mock.waitForExit()

        let again = try MockProcess(arguments: arguments).start()
        defer { again.stop() }
        let restored = try httpRequest(port: again.port, "GET", "/customer?perPage=500", headers: json)
        #expect(Set(restored.list.compactMap { $0["email"] as? String }) == Set(acknowledged), "after kill -9: exactly what was acknowledged")
        #expect(restored.meta["total"] as? Int == acknowledged.count, "the refused create was not replayed")
    }

    /// Resets and state replacements racing a stream of creates on two loops: afterwards, what memory
    /// holds is what a restart reads back, and every create sent after the last reset answered is in it.
    @Test func resetsRacingCreatesLeaveMemoryLogAndAnswersAgreeing() throws {
        let state = folder.file("race.json")
        let arguments = ["--port", "0", "--workers", "2", "--log-level", "error", "--state-file", state]
        let mock = try MockProcess(arguments: arguments).start()
        let port = mock.port
        let racing = Atomic<Bool>(true)
        // When each acknowledged create was sent: one sent after a reset answered cannot have been undone by it.
        let acknowledged = LockedValue<[(email: String, sentAt: UInt64)]>([])
        let creators = try (0..<3).map { client in
            try OwnedThread(name: "creator") {
                var index = 0
                while racing.load(ordering: .relaxed) {
                    let email = "race-\(client)-\(index)@example.com"
                    index += 1
                    let sentAt = monotonicNanoseconds()
                    if let reply = try? httpRequest(port: port, "POST", "/customer", headers: json, body: jsonBody(["email": email])), reply.status == 200 {
                        acknowledged.withLock { $0.append((email, sentAt)) }
                    }
                }
            }
        }
        var lastResetAnswered: UInt64 = 0
        for round in 0..<12 {
            Thread.sleep(forTimeInterval: 0.08)
            let reset = try httpRequest(port: port, "POST", "/_sandbox/reset", body: jsonBody(round % 3 == 2 ? ["integration": 463433] : [:]))
            #expect(reset.status == 200)
            lastResetAnswered = monotonicNanoseconds()
        }
        Thread.sleep(forTimeInterval: 0.2)
        racing.store(false, ordering: .relaxed)
        creators.forEach { $0.join() }

        let memory = try httpRequest(port: port, "GET", "/_sandbox/state")
        let held = Set((memory.json["customers"] as? [[String: Any]] ?? []).compactMap { $0["email"] as? String })
        let afterLastReset = acknowledged.withLock { $0.filter { $0.sentAt > lastResetAnswered }.map(\.email) }
        #expect(!afterLastReset.isEmpty)
        for email in afterLastReset {
            #expect(held.contains(email), "\(email) was sent after the last reset answered and acknowledged, and is not in memory")
        }
        mock.signal(SIGKILL)
        _ = mock.waitForExit()

        let again = try MockProcess(arguments: arguments).start()
        defer { again.stop() }
        #expect(again.port > 0, "the restart reads its own log back: \(again.firstLine)")
        let restored = try httpRequest(port: again.port, "GET", "/_sandbox/state")
        #expect(restored.text == memory.text, "what memory held is what the state file gives back")
    }
}
