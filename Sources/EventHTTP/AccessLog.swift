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

/// One loop's timestamp cache (touched on that loop's thread only).
struct AccessLineWriter {
    let log: AccessLog
    private var second = -1
    private var timestamp: [UInt8] = []

    init(log: AccessLog) {
        self.log = log
    }

    /// `METHOD PATH STATUS ELAPSEDms`, or `METHOD PATH STATUS` and `note` when one is given.
    /// Written into a buffer on the stack with plain copies (an Array appended to piece by piece
    /// checked its uniqueness and capacity at every piece, ~1,000 instructions a line).
    mutating func write(method: HTTPMethod, path: String, status: Int, elapsedNanoseconds: UInt64, note: StaticString? = nil) {
        let now = time(nil)
        if now != second { stamp(now) }
        var method = method.rawValue, path = path
        let log = log
        timestamp.withUnsafeBufferPointer { timestamp in
            log.middle.withUnsafeBufferPointer { middle in
                method.withUTF8 { method in
                    path.withUTF8 { path in
                        let capacity = timestamp.count + middle.count + method.count + path.count + (note?.utf8CodeUnitCount ?? 0) + 48
                        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { line in
                            var end = 0
                            func put(_ bytes: UnsafeBufferPointer<UInt8>) {
                                guard let source = bytes.baseAddress else { return }
                                (line.baseAddress! + end).update(from: source, count: bytes.count)
                                end += bytes.count
                            }
                            func put(_ byte: UInt8) {
                                line[end] = byte
                                end += 1
                            }
                            func putDecimal(_ value: Int) {  // not negative
                                end += writeDecimal(UInt(value), at: line.baseAddress! + end)
                            }
                            put(timestamp)
                            put(middle)
                            put(method)
                            put(32)
                            put(path)
                            put(32)
                            putDecimal(status)
                            put(32)
                            if let note {
                                note.withUTF8Buffer { put($0) }
                            } else {
                                let hundredths = Int((elapsedNanoseconds + 5_000) / 10_000)
                                putDecimal(hundredths / 100)
                                put(46)  // .
                                put(UInt8(48 + hundredths % 100 / 10))
                                put(UInt8(48 + hundredths % 10))
                                put(109)  // m
                                put(115)  // s
                            }
                            put(10)
                            log.output.write(UnsafeRawBufferPointer(start: line.baseAddress, count: end))
                        }
                    }
                }
            }
        }
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
