import Dispatch
import EventHTTP
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A file's bytes, mapped read-only. A seed file of a million customers is 350 MB: reading it into
/// an array would zero and copy every page of it first.
public final class MappedFile: @unchecked Sendable {
    // Immutable after init; the mapping lives as long as the object.
    let bytes: UnsafeBufferPointer<UInt8>

    /// nil when the file cannot be opened or mapped (`errno` says why).
    init?(path: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            errno = EISDIR
            return nil
        }
        let size = Int(status.st_size)
        if size == 0 {
            bytes = UnsafeBufferPointer(start: nil, count: 0)
            return
        }
        let mapping = mmap(nil, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, descriptor, 0)
        guard let mapping, mapping != MAP_FAILED else { return nil }
        bytes = UnsafeBufferPointer(start: mapping.assumingMemoryBound(to: UInt8.self), count: size)
    }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }
}

/// Files at least this large are read by two threads (`CustomerCollector.readInTwo`).
let parallelReadingThreshold = 4 << 20

/// The customers of a seed file, decoded record by record, in file order.
struct CustomerCollector {
    let file: String
    let integrations: [Int: Integration]
    private(set) var customers: [Customer] = []
    /// Whether the records give ids; nil before the first. All must, or none.
    private(set) var idsGiven: Bool?

    init(file: String, integrations: [Int: Integration]) {
        self.file = file
        self.integrations = integrations
    }

    mutating func take(_ record: SeedRecord) throws(SeedError) {
        let customer = try record.customer(integrations: integrations)
        let hasID = record.object["id"] != nil
        if let idsGiven, idsGiven != hasID {
            throw record.error(field: "id", "give an id to every customer or to none")
        }
        idsGiven = hasID
        customers.append(customer)
    }

    /// Reads a large file with two threads, with exactly the outcome (customers, or the first error
    /// in file order) of reading it from the start.
    ///
    /// A second thread reads from a guess at an element boundary near the middle: a `{` after `},`.
    /// The guess may be wrong (those bytes can sit inside a string); this thread reads from the start
    /// and takes the second half only if it finds an element starting exactly there, and the second
    /// half read without any error. Otherwise it reads on by itself, so every error it reports comes
    /// from the one sequential reading. Returns whether the second thread's half was taken.
    @discardableResult
    mutating func readInTwo(_ mapped: MappedFile) throws(SeedError) -> Bool {
        let bytes = mapped.bytes
        guard let split = Self.likelyElementStart(in: bytes, from: bytes.count / 2) else {
            try SeedLoader.forEachRecord(file, .file(mapped)) { record throws(SeedError) in try take(record) }
            return false
        }
        let cancelled = Atomic<Bool>(false)
        let second = BackgroundWork { [file, integrations] () -> CustomerCollector? in
            var rest = CustomerCollector(file: file, integrations: integrations)
            var reader = JSONArrayReader(mapped.bytes, elementAt: split)
            var index = 0
            do {
                while let value = try reader.next() {
                    if cancelled.load(ordering: .relaxed) { return nil }
                    try rest.take(try SeedRecord(file: file, index: index, value: value))
                    index += 1
                }
            } catch {
                return nil
            }
            return rest
        }
        defer { cancelled.store(true, ordering: .relaxed) }
        do {
            var reader = try JSONArrayReader(bytes)
            var index = 0
            var awaitingSplit = true
            while let value = try reader.next() {
                try take(try SeedRecord(file: file, index: index, value: value))
                index += 1
                guard awaitingSplit, reader.offset >= split else { continue }
                awaitingSplit = false
                if reader.offset == split, let rest = second.wait(), idsGiven == nil || rest.idsGiven == nil || idsGiven == rest.idsGiven {
                    customers.append(contentsOf: rest.customers)
                    idsGiven = idsGiven ?? rest.idsGiven
                    return true
                }
                cancelled.store(true, ordering: .relaxed)
            }
            return false
        } catch let error as SeedError {
            throw error
        } catch {
            throw SeedError("\(file): not valid JSON (an array of objects expected): \(error)")
        }
    }

    /// The first `{` at or after `start` that follows `}` and `,` (white space between allowed).
    static func likelyElementStart(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }
        var index = max(start, 1)
        let limit = min(bytes.count, start + (1 << 20))
        while index < limit {
            if bytes[index] == UInt8(ascii: "{") {
                var before = index - 1
                while before > 0, isBlank(bytes[before]) { before -= 1 }
                if bytes[before] == UInt8(ascii: ",") {
                    before -= 1
                    while before > 0, isBlank(bytes[before]) { before -= 1 }
                    if bytes[before] == UInt8(ascii: "}") { return index }
                }
            }
            index += 1
        }
        return nil
    }
}

/// Work started on another thread at once; `wait()` blocks until it is done and returns its result.
final class BackgroundWork<Output: Sendable>: @unchecked Sendable {
    // Written once by the worker before it signals; read only after waiting.
    private var output: Output?
    private let done = DispatchSemaphore(value: 0)
    private var waited = false

    init(_ work: @escaping @Sendable () -> Output) {
        DispatchQueue.global().async {
            self.output = work()
            self.done.signal()
        }
    }

    func wait() -> Output {
        if !waited {
            done.wait()
            waited = true
        }
        return output!
    }
}
