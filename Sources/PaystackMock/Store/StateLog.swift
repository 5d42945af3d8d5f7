import EventHTTP
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// `--state-file PATH`: the store on disk, as a snapshot (`PATH`, a seed document like
/// `GET /_sandbox/state`'s) and an append-only log of changes (`PATH.log`, one JSON object per line).
///
/// Every change is appended (under the lock of the integration it changes, so the log's order is the
/// store's) and flushed with `fdatasync` before its request is answered. Flushes are shared: a
/// request whose bytes another request's flush already covered does not flush again. At start-up
/// the log is replayed over the snapshot, then both are compacted into a new snapshot.
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
    }

    private let output = LockedValue(Output())
    /// Holds an exclusive `flock` on the log for the life of the process: two servers on one state
    /// file would interleave their writes.
    private let ownership = LockedValue<Int32>(-1)
    /// Bytes of the log known to be on disk.
    private let synced = Atomic<Int>(0)
    private let syncLock = LockedValue(())

    public init(path: String) {
        snapshotPath = path
    }

    /// Appends one record (a JSON object without its newline). Does nothing before `open`
    /// (while the log is replayed). Returns the log's length after it, for `sync(upTo:)`.
    func append(_ record: [UInt8]) throws(PaystackError) -> Int {
        var line = record
        line.append(UInt8(ascii: "\n"))
        let outcome: Result<Int, PaystackError> = output.withLock { output in
            guard output.descriptor >= 0 else { return .success(0) }
            let failure = line.withUnsafeBytes { writeAll(output.descriptor, $0) }
            if let failure {
                // A partial line would be read back as a torn record: cut it off again.
                _ = ftruncate(output.descriptor, off_t(output.written))
                return .failure(Self.writeFailed(failure))
            }
            output.written += line.count
            return .success(output.written)
        }
        return try outcome.get()
    }

    /// Returns once the log's first `offset` bytes are on disk.
    func sync(upTo offset: Int) throws(PaystackError) {
        guard offset > 0, synced.load(ordering: .acquiring) < offset else { return }
        let failure: Int32? = syncLock.withLock { _ in
            guard synced.load(ordering: .acquiring) < offset else { return nil }
            let (descriptor, written) = output.withLock { ($0.descriptor, $0.written) }
            guard fdatasync(descriptor) == 0 else { return errno }
            synced.store(written, ordering: .releasing)
            return nil
        }
        if let failure { throw Self.writeFailed(failure) }
    }

    /// Appends and waits for the disk: what every acknowledged write does.
    func appendDurably(_ record: [UInt8]) throws(PaystackError) {
        try sync(upTo: try append(record))
    }

    static func writeFailed(_ code: Int32) -> PaystackError {
        PaystackError(status: 500, message: "Could not write the state file: \(String(cString: strerror(code)))", code: .unknown)
    }

    // MARK: Start-up

    /// Replays the snapshot and log into `store` (or leaves the store's seed when there is neither),
    /// adds an integration for each of `secretKeys` it does not know, writes the result as the new snapshot, empties the log and opens it for appending. Returns
    /// warnings (a torn last record); throws when anything else cannot be read.
    public func open(into store: CustomerStore, secretKeys: [String] = []) throws(SeedError) -> [String] {
        try claim()
        var warnings: [String] = []
        var generation = 0
        if access(snapshotPath, F_OK) == 0 {
            guard let snapshot = SeedLoader.readFile(snapshotPath) else {
                throw SeedError("\(snapshotPath): cannot read the file (\(String(cString: strerror(errno))))")
            }
            generation = Self.generation(of: snapshot)
            do {
                store.load(try SeedLoader.decode(document: snapshot, name: snapshotPath), restartingIDs: true)
            } catch {
                throw SeedError("state file \(error.description)")
            }
        }
        if let log = SeedLoader.readFile(logPath) {
            warnings += try replay(log, into: store, snapshotGeneration: generation)
        } else if access(logPath, F_OK) == 0 {
            throw SeedError("\(logPath): cannot read the file (\(String(cString: strerror(errno))))")
        }
        try store.addIntegrations(forSecretKeys: secretKeys)
        try compact(StateDocument.export(store), generation: generation + 1)
        return warnings
    }

    private func claim() throws(SeedError) {
        let descriptor = Glibc.open(logPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw fileError(logPath, "cannot open") }
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
            guard byte >= 48 && byte <= 57, value < Int.max / 10 - 9 else { break }
            value = value * 10 + Int(byte - 48)
        }
        return value
    }

    /// Writes `snapshot` (marked with `generation`) beside the old one, flushes it, renames it over
    /// the old, then starts a log whose first line names the same generation. A crash before the new
    /// log exists leaves the new snapshot with the old log, whose lower generation says it is
    /// already included: it is not replayed again.
    private func compact(_ document: [UInt8], generation: Int) throws(SeedError) {
        var snapshot = Array(#"{"state_log_generation":\#(generation),"#.utf8)
        snapshot.append(contentsOf: document.dropFirst())
        let temporary = snapshotPath + ".tmp"
        let descriptor = Glibc.open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw fileError(temporary, "cannot create") }
        let failure = snapshot.withUnsafeBytes { writeAll(descriptor, $0) }
        guard failure == nil, fsync(descriptor) == 0 else {
            close(descriptor)
            throw fileError(temporary, "cannot write")
        }
        close(descriptor)
        guard rename(temporary, snapshotPath) == 0 else { throw fileError(snapshotPath, "cannot replace") }
        syncDirectory()
        let log = Glibc.open(logPath, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o644)
        let header = Array(#"{"op":"generation","generation":\#(generation)}"#.utf8) + [UInt8(ascii: "\n")]
        guard log >= 0, header.withUnsafeBytes({ writeAll(log, $0) }) == nil, fsync(log) == 0 else {
            throw fileError(logPath, "cannot create")
        }
        syncDirectory()
        output.withLock { output in
            if output.descriptor >= 0 { close(output.descriptor) }
            output = Output(descriptor: log, written: header.count)
        }
        synced.store(header.count, ordering: .releasing)
    }

    private func syncDirectory() {
        let directory = snapshotPath.lastIndex(of: "/").map { String(snapshotPath[..<$0]) } ?? "."
        let descriptor = Glibc.open(directory.isEmpty ? "/" : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    private func fileError(_ path: String, _ action: String) -> SeedError {
        SeedError("\(path): \(action) the file (\(String(cString: strerror(errno))))")
    }

    /// Applies each line. Only the last line may be unreadable (a write cut short by a crash): it
    /// is dropped with a warning. Any other bad line stops start-up.
    private func replay(_ log: [UInt8], into store: CustomerStore, snapshotGeneration: Int) throws(SeedError) -> [String] {
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
                    return ["\(logPath): record \(number) is incomplete (a write cut short); dropped"]
                }
                throw SeedError("\(logPath): record \(number): not valid JSON (\(error)); the log is damaged")
            }
            if isLast && !endsCleanly {
                // Complete JSON but no newline: the write was cut before its end; never acknowledged.
                return ["\(logPath): record \(number) has no line end (a write cut short); dropped"]
            }
            if record["op"]?.stringValue == "generation" {
                let generation = record["generation"]?.intValue ?? -1
                guard index == 0 else { throw SeedError("\(logPath): record \(number): a generation mark belongs on the first line") }
                // The snapshot was written after this log: it holds all of it already.
                if generation < snapshotGeneration { return [] }
                guard generation == snapshotGeneration else {
                    throw SeedError("\(logPath): generation \(generation) is newer than its snapshot's (\(snapshotGeneration)); is \(snapshotPath) an older copy?")
                }
                continue
            }
            try apply(record, number: number, to: store)
        }
        return []
    }

    private func apply(_ record: JSONObject, number: Int, to store: CustomerStore) throws(SeedError) {
        let label = "\(logPath): record \(number)"
        func document(_ member: String) throws(SeedError) -> SeedData {
            guard case .object(let object)? = record[member] else { throw SeedError("\(label): member \"\(member)\" must be an object") }
            return try SeedLoader.decode(object: object, name: label)
        }
        switch record["op"]?.stringValue {
        case "customer":
            guard case .object(let object)? = record["customer"] else { throw SeedError("\(label): member \"customer\" must be an object") }
            let integrations = Dictionary(uniqueKeysWithValues: store.integrations.map { ($0.id, $0) })
            // A create that raced a replacement of the whole state may name an integration it removed.
            if let id = object["integration"]?.intValue, integrations[id] == nil { return }
            var customer = try SeedRecord(file: label, index: 0, object: object).customer(integrations: integrations)
            if case .array(let cards)? = record["authorizations"] {
                for card in cards {
                    guard case .object(let cardObject) = card else { throw SeedError("\(label): authorizations must be objects") }
                    customer.authorizations.append(try SeedRecord(file: label, index: 0, object: cardObject).authorization(integrations: integrations).2)
                }
            }
            guard object["id"] != nil else { throw SeedError("\(label): field \"id\" is required") }
            try store.restore(customer, label: label)
        case "state":
            store.load(try document("state"), restartingIDs: true)
        case "integration":
            let state = try document("state")
            for integration in state.integrations {
                guard let books = store.books(of: integration.id) else { continue }
                let ledgers = state.ledgers(of: integration.id)
                books.replaceLedgers(test: ledgers.test, live: ledgers.live)
            }
        default:
            throw SeedError("\(label): \"op\" must be customer, state or integration")
        }
    }
}

/// Writes every byte, retrying short writes and interruptions; the errno of a failure, else nil.
private func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
    var offset = 0
    while offset < bytes.count {
        let count = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
        if count < 0 {
            if errno == EINTR { continue }
            return errno
        }
        offset += count
    }
    return nil
}
