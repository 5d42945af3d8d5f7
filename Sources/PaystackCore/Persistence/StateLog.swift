import JSON
import Platform

#if canImport(Glibc)
import Glibc
#endif

/// `--state-file PATH`: the store on disk, as a snapshot (`PATH`, a state document like
/// `GET /_sandbox/state`'s) and an append-only log of changes (`PATH.log`, one JSON object per line).
///
/// Write-ahead: every change is appended and flushed (`fdatasync`) before it is applied to memory
/// and answered, under the lock of what it changes; a change the disk refuses is cut off the log
/// again and never applied. At start-up the log is replayed over the snapshot (`recover`), then both
/// are compacted into a new snapshot (`compact`).
///
/// Each record is an absolute write (a whole customer, a whole integration, or the whole state), so
/// replaying a log over a snapshot that already holds some of it gives the same result.
public final class StateLog: Sendable {
    public let snapshotPath: String
    public var logPath: String { snapshotPath + ".log" }

    private struct Output {
        var descriptor: Int32 = -1
        /// Bytes written to the log so far.
        var written = 0
        /// The generation the next compaction writes.
        var nextGeneration = 1
    }

    /// One lock for appending and flushing: the log's order is the order changes are applied in.
    private let output = LockedValue(Output())
    /// Holds an exclusive `flock` on the log for the life of the process: two servers on one state
    /// file would interleave their writes.
    private let ownership = LockedValue<Int32>(-1)

    public init(path: String) {
        snapshotPath = path
    }

    deinit {
        output.withLock { if $0.descriptor >= 0 { close($0.descriptor) } }
        ownership.withLock { if $0 >= 0 { close($0) } }
    }

    /// Appends one record (a JSON object without its newline) and flushes it. On failure the log is
    /// cut back to where it was. Does nothing before the log is open (while it is replayed).
    func commit(_ record: [UInt8]) throws(SystemError) {
        var line = record
        line.append(UInt8(ascii: "\n"))
        try output.withLock { (output) throws(SystemError) in
            guard output.descriptor >= 0 else { return }
            do throws(SystemError) {
                try FileSystem.writeAll(output.descriptor, line, path: logPath)
                try systemCall("fdatasync(\(logPath))") { fdatasync(output.descriptor) }
            } catch {
                // A partial or unflushed line would be read back as a change that was refused.
                _ = ftruncate(output.descriptor, off_t(output.written))
                throw error
            }
            output.written += line.count
        }
    }

    // MARK: Start-up

    /// What `recover` read: the snapshot (nil when there is none) and the changes logged after it.
    public struct Recovered {
        public var snapshot: SeedData?
        public var changes: [(label: String, record: JSONObject)]
        /// A torn last record, dropped.
        public var warnings: [String]
    }

    /// Takes the log (one server per state file), reads the snapshot and the changes logged since.
    /// Throws when anything but a torn last record cannot be read.
    public func recover() throws(SeedError) -> Recovered {
        try claim()
        var generation = 0
        var snapshot: SeedData?
        if FileSystem.exists(snapshotPath) {
            let bytes: [UInt8]
            do {
                bytes = try FileSystem.read(snapshotPath)
            } catch {
                throw SeedError("\(snapshotPath): cannot read the file (\(error.reason))")
            }
            generation = Self.generation(of: bytes)
            do {
                snapshot = try SeedLoader.decode(document: bytes, name: snapshotPath)
            } catch {
                throw SeedError("state file \(error.description)")
            }
        }
        output.withLock { $0.nextGeneration = generation + 1 }
        var recovered = Recovered(snapshot: snapshot, changes: [], warnings: [])
        let log: [UInt8]
        do {
            log = try FileSystem.read(logPath)
        } catch {
            if error.code == ENOENT { return recovered }
            throw SeedError("\(logPath): cannot read the file (\(error.reason))")
        }
        try readChanges(log, snapshotGeneration: generation, into: &recovered)
        return recovered
    }

    private func claim() throws(SeedError) {
        let descriptor = open(logPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw SeedError("\(logPath): cannot open the file (\(errnoText(errno)))") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw SeedError("\(logPath): in use by another paystack-mock (one server per state file)")
        }
        ownership.withLock { $0 = descriptor }
    }

    /// The snapshot's first member, `"state_log_generation"` (0 for a plain seed document).
    static func generation(of snapshot: [UInt8]) -> Int {
        let prefix = Array(#"{"state_log_generation":"#.utf8)
        guard snapshot.starts(with: prefix) else { return 0 }
        var value = 0
        for byte in snapshot[prefix.count...] {
            guard isASCIIDigit(byte), value < Int.max / 10 - 9 else { break }
            value = value * 10 + Int(byte - 48)
        }
        return value
    }

    /// Writes `document` (marked with the next generation) as the snapshot, through a flushed
    /// temporary file renamed over the old one, then starts an empty log whose first line names the
    /// same generation, and opens it for appending. A crash before the new log exists leaves the new
    /// snapshot with the old log, whose lower generation says it is already included.
    public func compact(_ document: [UInt8]) throws(SeedError) {
        let generation = output.withLock { $0.nextGeneration }
        var snapshot = Array(#"{"state_log_generation":\#(generation),"#.utf8)
        snapshot.append(contentsOf: document.dropFirst())
        let header = Array(#"{"op":"generation","generation":\#(generation)}"#.utf8) + [UInt8(ascii: "\n")]
        let log: Int32
        do {
            try FileSystem.replace(snapshotPath, with: snapshot)
            log = try systemCall("open(\(logPath))") { open(logPath, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o644) }
            try FileSystem.writeAll(log, header, path: logPath)
            try systemCall("fsync(\(logPath))") { fsync(log) }
        } catch {
            throw SeedError("state file: \(error)")
        }
        FileSystem.syncDirectory(of: logPath)
        output.withLock { output in
            if output.descriptor >= 0 { close(output.descriptor) }
            output = Output(descriptor: log, written: header.count, nextGeneration: generation + 1)
        }
    }

    /// Collects each line. Only the last line may be unreadable (a write cut short by a crash): it
    /// is dropped with a warning. Any other bad line stops start-up.
    private func readChanges(_ log: [UInt8], snapshotGeneration: Int, into recovered: inout Recovered) throws(SeedError) {
        let newline = UInt8(ascii: "\n")
        var lines = log.split(separator: newline, omittingEmptySubsequences: false)
        let endsCleanly = log.last == newline || log.isEmpty
        if lines.last?.isEmpty == true { lines.removeLast() }
        for (index, line) in lines.enumerated() {
            let isLast = index == lines.count - 1
            let number = index + 1
            let record: JSONObject
            do {
                guard case .object(let object) = try JSONParser.parse(Array(line)) else {
                    throw SeedError("\(logPath): record \(number): must be a JSON object")
                }
                record = object
            } catch {
                if isLast {
                    recovered.warnings.append("\(logPath): record \(number) is incomplete (a write cut short); dropped")
                    return
                }
                throw SeedError("\(logPath): record \(number): not valid JSON (\(error)); the log is damaged")
            }
            if isLast && !endsCleanly {
                // Complete JSON but no newline: the write was cut before its end; never acknowledged.
                recovered.warnings.append("\(logPath): record \(number) has no line end (a write cut short); dropped")
                return
            }
            if record["op"]?.stringValue == "generation" {
                let generation = record["generation"]?.intValue ?? -1
                guard index == 0 else { throw SeedError("\(logPath): record \(number): a generation mark belongs on the first line") }
                // The snapshot was written after this log: it holds all of it already.
                if generation < snapshotGeneration { return }
                guard generation == snapshotGeneration else {
                    throw SeedError("\(logPath): generation \(generation) is newer than its snapshot's (\(snapshotGeneration)); is \(snapshotPath) an older copy?")
                }
                continue
            }
            recovered.changes.append(("\(logPath): record \(number)", record))
        }
    }
}
