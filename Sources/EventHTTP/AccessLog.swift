import Platform

#if canImport(Glibc)
import Glibc
#endif

/// The access log: one line per answered request, in the format of the rest of the log
/// (`2026-12-01T23:39:12+0000 info paystack-mock: [EventHTTP] GET /customer 200 0.12ms`).
///
/// Why not `logger.info` per request: swift-log's stream handler formats a timestamp with
/// `localtime` and `strftime`, merges metadata and builds the line from interpolated strings, about
/// a third of a fetch's CPU at the default level. Here each loop builds the line's bytes into a
/// buffer it reuses, with the timestamp text made once a second, and hands them to a
/// `BatchedOutput`, which writes them in batches off the request path.
public final class AccessLog: Sendable {
    let output: BatchedOutput
    /// ` info LABEL: [EventHTTP] `
    let middle: [UInt8]

    public init(output: BatchedOutput, label: String) {
        self.output = output
        middle = Array(" info \(label): [EventHTTP] ".utf8)
    }
}

/// One loop's line buffer and timestamp cache (touched on that loop's thread only).
struct AccessLineWriter {
    let log: AccessLog
    private var line: [UInt8] = []
    private var second = -1
    private var timestamp: [UInt8] = []

    init(log: AccessLog) {
        self.log = log
        line.reserveCapacity(256)
    }

    /// `METHOD PATH STATUS ELAPSEDms`, or `METHOD PATH STATUS` and `note` when one is given.
    mutating func write(method: HTTPMethod, path: String, status: Int, elapsedNanoseconds: UInt64, note: StaticString? = nil) {
        let now = time(nil)
        if now != second { stamp(now) }
        line.removeAll(keepingCapacity: true)
        line.append(contentsOf: timestamp)
        line.append(contentsOf: log.middle)
        line.append(contentsOf: method.rawValue.utf8)
        line.append(32)
        line.append(contentsOf: path.utf8)
        line.append(32)
        appendDecimal(status)
        line.append(32)
        if let note {
            note.withUTF8Buffer { line.append(contentsOf: $0) }
        } else {
            let hundredths = Int((elapsedNanoseconds + 5_000) / 10_000)
            appendDecimal(hundredths / 100)
            line.append(46)  // .
            line.append(UInt8(48 + hundredths % 100 / 10))
            line.append(UInt8(48 + hundredths % 10))
            line.append(contentsOf: "ms".utf8)
        }
        line.append(10)
        line.withUnsafeBytes { log.output.write($0) }
    }

    private mutating func appendDecimal(_ value: Int) {
        if value >= 10 { appendDecimal(value / 10) }
        line.append(UInt8(48 + value % 10))
    }

    /// The local time as `%Y-%m-%dT%H:%M:%S%z`, as swift-log's stream handler writes it.
    private mutating func stamp(_ now: time_t) {
        second = now
        var seconds = now
        var local = tm()
        var buffer = [CChar](repeating: 0, count: 64)
        guard localtime_r(&seconds, &local) != nil else { return }
        let length = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &local)
        timestamp = buffer.prefix(length).map { UInt8(bitPattern: $0) }
    }
}
