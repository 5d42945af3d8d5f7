import EventHTTP
import Foundation
import HTTPTestSupport
import JSON
@testable import PaystackAPI
@testable import PaystackCore
import PaystackMock
import Platform
@testable import Sandbox
@testable import Webhooks

/// The built `paystack-mock` executable, run as a child process.
final class MockProcess {
    let process = Process()
    let stdout = Pipe()
    let stderr = Pipe()
    private(set) var port = 0
    /// The HTTPS port, with `--tls-port`.
    private(set) var tlsPort: Int?
    private(set) var firstLine = ""
    /// Standard error, read as it comes (a server that logs a lot never blocks on a full pipe).
    private let errorText = LockedValue<[UInt8]>([])
    private let errorRead = DispatchSemaphore(value: 0)

    static var binaryPath: String {
        ProcessInfo.processInfo.environment["PAYSTACK_MOCK_BINARY"] ?? Fixtures.repositoryRoot + "/.build/debug/paystack-mock"
    }

    init(arguments: [String], environment: [String: String] = [:], executable: String = MockProcess.binaryPath, directory: String? = nil) {
        process.executableURL = URL(fileURLWithPath: executable)
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PAYSTACK_MOCK_") }
        // Under `make sanitize` the servers run sanitized too, with their own options (leaks checked at exit).
        if let options = ProcessInfo.processInfo.environment["PAYSTACK_MOCK_SERVER_ASAN_OPTIONS"] { merged["ASAN_OPTIONS"] = options }
        merged.merge(environment) { $1 }
        process.environment = merged
        process.standardOutput = stdout
        process.standardError = stderr
    }

    /// Starts it and waits for the `listening on` line (or exit).
    @discardableResult
    func start() throws -> MockProcess {
        try process.run()
        let errors = stderr.fileHandleForReading
        Thread.detachNewThread { [errorText, errorRead] in
            while true {
                let chunk = errors.availableData
                if chunk.isEmpty { break }
                errorText.withLock { $0 += chunk }
            }
            errorRead.signal()
        }
        let handle = stdout.fileHandleForReading
        var bytes: [UInt8] = []
        while !bytes.contains(10) {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            bytes += chunk
        }
        firstLine = String(decoding: bytes.prefix { $0 != 10 }, as: UTF8.self)
        // `… listening on http://HOST:PORT` (and ` and https://HOST:TLSPORT`).
        let urls = firstLine.split(separator: " ").filter { $0.hasPrefix("http://") || $0.hasPrefix("https://") }
        func portNumber(of url: Substring?) -> Int? { url.flatMap { $0.split(separator: ":").last }.flatMap { Int($0) } }
        port = portNumber(of: urls.first { $0.hasPrefix("http://") }) ?? 0
        tlsPort = portNumber(of: urls.first { $0.hasPrefix("https://") })
        return self
    }

    /// Runs to completion (for flag and seed errors): exit status and standard error.
    func runToExit() throws -> (status: Int32, stderr: String) {
        try process.run()
        let errorText = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, errorText)
    }

    /// Runs to completion and returns the exit status and standard output (small outputs only).
    func runToExitWithOutput() throws -> (status: Int32, stdout: String) {
        try process.run()
        let output = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    func signal(_ number: Int32) {
        kill(process.processIdentifier, number)
    }

    /// Waits for exit (10 s at most, then kills) and returns the status.
    func waitForExit() -> Int32 {
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return -1
        }
        return process.terminationStatus
    }

    func stop() {
        if process.isRunning {
            signal(SIGTERM)
            _ = waitForExit()
        }
    }

    /// Everything the server wrote to standard error (waits for it to close: call after exit).
    var stderrText: String {
        errorRead.wait()
        errorRead.signal()
        return errorText.withLock { String(decoding: $0, as: UTF8.self) }
    }
}
