@testable import EventHTTP
import Foundation
import Platform
import Testing

/// The log's stderr writer: lines gathered in memory, written in batches by a thread of its own.
@Suite struct BatchedOutputTests {
    private func temporaryFile() -> (path: String, descriptor: Int32) {
        let path = NSTemporaryDirectory() + "batched-output-\(UUID().uuidString)"
        return (path, open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600))
    }

    private func contents(_ path: String) -> [Substring] {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    }

    /// Four threads write 5,000 lines each; after `close` every line is in the file, whole, and each
    /// thread's lines in the order it wrote them. A small limit makes writers flush themselves too.
    @Test func everyLineArrivesWholeAndInOrderPerWriter() throws {
        let (path, descriptor) = temporaryFile()
        defer { close(descriptor); unlink(path) }
        let output = try BatchedOutput(descriptor: descriptor, batchDelayMilliseconds: 1, limit: 4096)
        DispatchQueue.concurrentPerform(iterations: 4) { writer in
            for index in 0..<5000 { output.write("writer \(writer) line \(index) \(String(repeating: "x", count: index % 50))\n") }
        }
        output.close()
        let lines = contents(path)
        #expect(lines.count == 20_000)
        for writer in 0..<4 {
            let own = lines.filter { $0.hasPrefix("writer \(writer) ") }
            #expect(own.count == 5000)
            #expect(own.enumerated().allSatisfy { $0.element == "writer \(writer) line \($0.offset) \(String(repeating: "x", count: $0.offset % 50))" })
        }
    }

    /// A line waits for the batch (no system call per line), and `flush` writes it at once.
    @Test func linesWaitForTheBatchAndFlushWritesThemNow() throws {
        let (path, descriptor) = temporaryFile()
        defer { close(descriptor); unlink(path) }
        let output = try BatchedOutput(descriptor: descriptor, batchDelayMilliseconds: 60_000)
        output.write("first\n")
        Thread.sleep(forTimeInterval: 0.05)
        #expect(contents(path).isEmpty, "held for the batch")
        output.flush()
        #expect(contents(path) == ["first"])
        output.close()
        output.write("after close\n")
        #expect(contents(path) == ["first", "after close"], "once closed, lines are written at once")
    }

    /// Without a flush, the thread writes a batch shortly after its first line.
    @Test func theThreadWritesABatchByItself() throws {
        let (path, descriptor) = temporaryFile()
        defer { close(descriptor); unlink(path) }
        let output = try BatchedOutput(descriptor: descriptor, batchDelayMilliseconds: 5)
        defer { output.close() }
        output.write("one\n")
        output.write("two\n")
        let deadline = Date().addingTimeInterval(5)
        while contents(path).count < 2 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        #expect(contents(path) == ["one", "two"])
    }
}

/// The access line built by the loops, in the format of the rest of the log.
@Suite struct AccessLineTests {
    @Test func linesHaveTheLogsFormatAndMillisecondsInHundredths() throws {
        let path = NSTemporaryDirectory() + "access-line-\(UUID().uuidString)"
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        defer { close(descriptor); unlink(path) }
        let output = try BatchedOutput(descriptor: descriptor)
        var writer = AccessLineWriter(log: AccessLog(output: output, label: "paystack-mock"))
        writer.write(method: .GET, path: "/customer/CUS_x", status: 200, elapsedNanoseconds: 1_234_567)
        writer.write(method: .POST, path: "/customer", status: 400, elapsedNanoseconds: 4_999)
        writer.write(method: .PUT, path: "/a b", status: 404, elapsedNanoseconds: 12_345_678_901)
        writer.write(method: .GET, path: "/_sandbox/events", status: 200, elapsedNanoseconds: 0, note: "stream opened")
        output.close()
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        let stamp = #/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} info paystack-mock: \[EventHTTP\] /#
        #expect(lines.allSatisfy { $0.contains(stamp) }, "\(lines)")
        #expect(lines[0].hasSuffix("] GET /customer/CUS_x 200 1.23ms"))
        #expect(lines[1].hasSuffix("] POST /customer 400 0.00ms"))
        #expect(lines[2].hasSuffix("] PUT /a b 404 12345.68ms"))
        #expect(lines[3].hasSuffix("] GET /_sandbox/events 200 stream opened"))
    }
}
